/**
 * THE ONE PLACE where Odoo scenarios are kept out of the default run: scenarios that assert the
 * correct behaviour and fail today because of a product defect that a real Odoo showed. Each entry
 * names the scenario (its exact title), the defect it tracks and what was seen when it ran.
 *
 * Fixed a defect? Delete its entry and run `npx jest --selectProjects odoo`. To run every excluded
 * scenario anyway: STAMPLI_RUN_KNOWN_DEFECTS=1.
 */
import type { OdooTarget } from './targets';

export interface KnownDefect {
	/** Which defect this is, as tracked (printed in the test title). */
	tracking: string;
	/** Only on these targets (id prefixes); every target when absent. */
	targets?: string[];
	/** What the scenario showed when it last ran against each target. */
	observed: string;
}

export const KNOWN_DEFECT_SCENARIOS: Record<string, KnownDefect> = {};

export function knownDefectFor(scenario: string, target: OdooTarget): KnownDefect | undefined {
	const defect = KNOWN_DEFECT_SCENARIOS[scenario];
	if (!defect) return undefined;
	if (defect.targets && !defect.targets.some((prefix) => target.id.startsWith(prefix))) return undefined;
	return defect;
}

const printed = new Set<string>();
/** Prints each excluded scenario once per test file, so the exclusion is never silent. */
export function noteExcluded(scenario: string, target: OdooTarget, defect: KnownDefect): void {
	const key = `${scenario}|${defect.tracking}`;
	if (printed.has(key)) return;
	printed.add(key);
	process.stderr.write(
		`odoo scenarios: EXCLUDED as a known defect (${defect.tracking}), starting with ${target.id}: "${scenario}" — set STAMPLI_RUN_KNOWN_DEFECTS=1 to run it\n`,
	);
}
