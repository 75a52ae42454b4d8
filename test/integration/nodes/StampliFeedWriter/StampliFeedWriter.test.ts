/**
 * The Stampli Feed Writer node run from a workflow fixture against a real OpenSSH sshd: records
 * grouped by feed, one file per feed in the inbound directory (formulas neutralised), and a record
 * of no feed reported by its item.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NodeOperationError } from 'n8n-workflow';

import { StampliFeedWriter } from '../../../../nodes/StampliFeedWriter/StampliFeedWriter.node';
import { useSshd } from '../../../fixtures/sshd';
import { sftpCredential } from '../../../kit/credentials';
import { contextFor, loadWorkflow } from '../../../kit/workflow';

const workflow = loadWorkflow(join(__dirname, 'feed-writer.workflow.json'));

describe('Stampli Feed Writer node', () => {
	const sshd = useSshd();
	const run = (continueOnFail: boolean) =>
		new StampliFeedWriter().execute.call(
			contextFor(workflow, 'Stampli Feed Writer', new StampliFeedWriter(), {
				credentials: { stampliSftpApi: sftpCredential(sshd()) },
				continueOnFail,
			}),
		);

	it('writes one file per feed found, paired with its records; a record of no feed fails by its item', async () => {
		await expect(run(false)).rejects.toThrow(NodeOperationError);
		const [out] = await run(true);
		expect(out.map((i) => i.json.feed ?? i.json.error)).toEqual([
			expect.stringMatching(/^Item 3: not a canonical vendor/),
			'vendors',
			'gl-accounts',
		]);
		expect(out.map((i) => i.pairedItem)).toEqual([
			{ item: 3 },
			[{ item: 0 }, { item: 2 }],
			[{ item: 1 }],
		]);
		const vendors = readFileSync(
			sshd().localPath(`${sshd().inboundDir}/vendors_node-test.csv`),
			'utf8',
		);
		expect(vendors).toContain(`'=HYPERLINK`);
		expect(vendors).toContain('Wood Corner');
	});
});
