/** The period parameters → the period summaries of the audit rows given as input. */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import {
	checkTimeZone,
	localDate,
	resolvePeriod,
	rowsFromStore,
	summarisePeriod,
	type AuditRow,
	type PeriodKind,
	type PeriodSummary,
} from '../../../shared/audit';

export interface PeriodRun {
	rows: AuditRow[];
	ignored: number;
	timeZone: string;
	summaries: PeriodSummary[];
}

export function summariesOf(ctx: IExecuteFunctions): PeriodRun {
	const choice = ctx.getNodeParameter('period', 0) as string;
	const timeZone =
		String(ctx.getNodeParameter('timeZone', 0, '')).trim() || ctx.getTimezone() || 'UTC';
	try {
		checkTimeZone(timeZone);
		const date =
			String(ctx.getNodeParameter('date', 0, '')).trim() || localDate(new Date(), timeZone);
		const kinds: PeriodKind[] =
			choice === 'previousDayAndMonthToDate'
				? ['previousDay', 'monthToDate']
				: [choice as PeriodKind];
		const custom =
			choice === 'custom'
				? {
						from: String(ctx.getNodeParameter('from', 0, '')).trim(),
						to: String(ctx.getNodeParameter('to', 0, '')).trim(),
					}
				: undefined;
		const periods = kinds.map((kind) => resolvePeriod(kind, date, custom));
		const { rows, ignored } = rowsFromStore(ctx.getInputData().map((item) => item.json));
		return {
			rows,
			ignored: ignored.length,
			timeZone,
			summaries: periods.map((period) => summarisePeriod(rows, period, { timeZone })),
		};
	} catch (error) {
		throw error instanceof NodeOperationError
			? error
			: new NodeOperationError(ctx.getNode(), (error as Error).message);
	}
}
