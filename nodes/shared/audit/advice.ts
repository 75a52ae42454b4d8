/**
 * What a person should do about an exception, from its action and reason. The reasons come from the
 * package's own nodes (GL Mapper, readers, ERP writers), so the common ones are recognised by their
 * words; anything else points to the execution that has the whole story.
 */
import type { AuditRow } from './schema';

const ADVICE: Array<[RegExp, string]> = [
	[
		/no (gl )?rule|unmapped|not mapped|no mapping/i,
		'Add or correct the GL Mapper rule for this GL code, then replay the file.',
	],
	[
		/vendor/i,
		'Create or map the vendor in the ERP (or the vendor rule table), then replay the file.',
	],
	[
		/posted/i,
		'The bill is already posted in the ERP: correct it there (reset to draft or a credit note) if the new figures are right.',
	],
	[
		/currenc|exchange rate/i,
		'Activate the currency (with a rate) in the ERP, then replay the file.',
	],
	[
		/lock date|period.*closed|closed period/i,
		'The accounting period is locked: book it in an open period or lift the lock, then replay.',
	],
	[
		/booked .* the file stated|total mismatch|differs|difference/i,
		'Compare the bill in the ERP with the Stampli invoice (taxes, rounding) and correct whichever is wrong.',
	],
	[
		/timed? ?out|unreachable|ECONN|socket|network|503|502|429|rate limit|unknown outcome/i,
		'Usually nothing: the next run retries and writes it once. If it keeps failing, check the ERP connection.',
	],
	[
		/no such payment|bill .*not found|no bill|needs its bill/i,
		'Run the vendor bills flow first (the payment needs its bill), then replay the payment file.',
	],
];

export function adviceFor(row: Pick<AuditRow, 'action' | 'reason'>): string {
	if (row.action === 'rejected')
		return 'Correct the row in the file (or ask Stampli to re-export it), then replay the file from the failed directory.';
	if (row.action === 'unrecognised')
		return 'An item of another node reached "Record audit": check what the flow passes to it.';
	for (const [pattern, advice] of ADVICE) if (pattern.test(row.reason)) return advice;
	if (row.action === 'needsAttention')
		return 'Complete the GL or vendor mapping for this invoice, then replay the file.';
	if (row.action === 'unbalanced')
		return 'Open the reconciliation of this file: the records listed do not add up to what the file stated.';
	return 'Open the execution named in the row to see the whole error, fix the cause, then replay the file.';
}
