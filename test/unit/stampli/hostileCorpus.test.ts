/**
 * The generated hostile corpus (test/hostile/) through both reader APIs: every file is parsed as
 * expected or refused/flagged with an error naming file, rows or record, and field. Prints the
 * table files / correct / clear error / defect; the target is no defect.
 */
import { hostileCorpus } from '../../hostile/corpus';
import { runCase, verdictTable, type CaseResult } from '../../hostile/verdict';

describe('hostile corpus', () => {
	it('has no defect: every file parsed correctly or answered with a clear error', async () => {
		const results: CaseResult[] = [];
		for (const c of hostileCorpus()) results.push(await runCase(c));
		console.log(`hostile corpus (small files)\n${verdictTable(results)}`);
		const defects = results.filter((r) => r.verdict === 'defect');
		expect(defects.map((d) => `${d.family} / ${d.name}: ${d.problems.join('; ')}`)).toEqual([]);
		expect(results.length).toBeGreaterThanOrEqual(100);
	}, 120_000);
});
