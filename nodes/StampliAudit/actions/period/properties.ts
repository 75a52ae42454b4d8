import type { INodeProperties } from 'n8n-workflow';

const ops = ['summarisePeriod', 'buildReport'];
const show = { show: { operation: ops } };

export const properties: INodeProperties[] = [
	{
		displayName:
			'Give this node the audit rows of the period (e.g. a Data Table "Get Rows" of the audit table, filtered on "at")',
		name: 'periodNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
	{
		displayName: 'Period',
		name: 'period',
		type: 'options',
		options: [
			{ name: 'Custom', value: 'custom', description: 'From the first to the last date below' },
			{ name: 'Day', value: 'day', description: 'The day of the date below' },
			{ name: 'Month', value: 'month', description: 'The month of the date below' },
			{ name: 'Month to Date', value: 'monthToDate' },
			{ name: 'Previous Day', value: 'previousDay' },
			{
				name: 'Previous Day and Month to Date',
				value: 'previousDayAndMonthToDate',
				description: 'The morning report: yesterday, and this month so far',
			},
			{ name: 'Week', value: 'week', description: 'Monday to Sunday around the date below' },
		],
		default: 'previousDayAndMonthToDate',
		displayOptions: show,
	},
	{
		displayName: 'Date',
		name: 'date',
		type: 'string',
		default: '',
		placeholder: '2026-11-30',
		description:
			'A date in the period (YYYY-MM-DD); empty means today. For "Previous Day" and "Month to Date", the day the report is for is the day before / up to this date.',
		displayOptions: {
			show: {
				operation: ops,
				period: ['previousDay', 'monthToDate', 'previousDayAndMonthToDate', 'day', 'week', 'month'],
			},
		},
	},
	{
		displayName: 'First Date',
		name: 'from',
		type: 'string',
		default: '',
		required: true,
		placeholder: '2026-11-01',
		displayOptions: { show: { operation: ops, period: ['custom'] } },
	},
	{
		displayName: 'Last Date',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: '2026-11-30',
		displayOptions: { show: { operation: ops, period: ['custom'] } },
	},
	{
		displayName: 'Time Zone',
		name: 'timeZone',
		type: 'string',
		default: '',
		placeholder: 'Europe/Berlin',
		description: "Whose calendar days the report uses; empty uses this n8n instance's time zone",
		displayOptions: show,
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: 'Stampli reconciliation report',
		displayOptions: { show: { operation: ['buildReport'] } },
	},
	{
		displayName: 'Report Binary Property',
		name: 'reportProperty',
		type: 'string',
		default: 'report',
		description: 'Where the HTML page goes',
		displayOptions: { show: { operation: ['buildReport'] } },
	},
	{
		displayName: 'Detail Binary Property',
		name: 'detailProperty',
		type: 'string',
		default: 'detail',
		description: "Where the CSV of the period's audit rows goes",
		displayOptions: { show: { operation: ['buildReport'] } },
	},
];
