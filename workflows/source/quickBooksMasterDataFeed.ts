/**
 * Template 7: QuickBooks → Stampli master-data feed (daily). Each QuickBooks list is read by its own
 * QuickBooks Master Data node (changes since the last run, through change data capture) and written
 * by its own Stampli Feed Writer, which commits the reader's cursor once the file is uploaded.
 */
import { stampli, type Link, type NodeSpec, type TemplateSpec } from './builder';
import { NODE } from './catalog';

/** Node names the tests and the demo look up. */
export const QBO_FEED_NODE = {
	schedule: 'Every Day at 02:30',
	vendors: 'QuickBooks Vendors (Master Data)',
	glAccounts: 'QuickBooks GL Accounts',
	classes: 'QuickBooks Classes',
	departments: 'QuickBooks Departments',
	purchaseOrders: 'QuickBooks Purchase Orders',
	vendorFeed: 'Vendor Feed',
	glFeed: 'GL Account Feed',
	classFeed: 'Class Feed',
	departmentFeed: 'Department Feed',
	poFeed: 'Purchase Order Feed',
} as const;

const FEEDS: Array<[reader: string, writer: string, resource: string, feedType: string]> = [
	[QBO_FEED_NODE.vendors, QBO_FEED_NODE.vendorFeed, 'vendors', 'vendorFeed'],
	[QBO_FEED_NODE.glAccounts, QBO_FEED_NODE.glFeed, 'glAccounts', 'glAccountFeed'],
	[QBO_FEED_NODE.classes, QBO_FEED_NODE.classFeed, 'classes', 'classFeed'],
	[QBO_FEED_NODE.departments, QBO_FEED_NODE.departmentFeed, 'departments', 'departmentFeed'],
	[QBO_FEED_NODE.purchaseOrders, QBO_FEED_NODE.poFeed, 'purchaseOrders', 'purchaseOrderFeed'],
];

export function quickBooksMasterDataFeed(): TemplateSpec {
	const nodes: NodeSpec[] = [
		{
			name: QBO_FEED_NODE.schedule,
			type: 'n8n-nodes-base.scheduleTrigger',
			typeVersion: 1.2,
			position: [0, 300],
			parameters: {
				rule: { interval: [{ field: 'days', triggerAtHour: 2, triggerAtMinute: 30 }] },
			},
		},
		{ name: NODE.runNow, type: 'n8n-nodes-base.manualTrigger', position: [0, 560] },
	];
	const links: Link[] = [];
	FEEDS.forEach(([reader, writer, resource, feedType], i) => {
		const y = 60 + i * 200;
		nodes.push(
			{
				name: reader,
				type: stampli('quickBooksMasterData'),
				position: [300, y],
				credentials: ['stampliQuickBooksOAuth2Api'],
				parameters: { resource, mode: 'incremental', output: 'items', options: {} },
			},
			{
				name: writer,
				type: stampli('stampliFeedWriter'),
				position: [580, y],
				credentials: ['stampliSftpApi'],
				parameters: {
					feedType,
					format: 'csv',
					fileNamePattern: 'qbo_{feed}_{date:YYYYMMDD}_{time:HHmmss}.{ext}',
					targetDir: '',
					feedOptions: { neutraliseFormulas: true },
				},
			},
		);
		links.push(
			[QBO_FEED_NODE.schedule, 0, reader, 0],
			[NODE.runNow, 0, reader, 0],
			[reader, 0, writer, 0],
		);
	});
	return {
		key: 'quickBooksMasterDataFeed',
		name: 'QuickBooks → Stampli master-data feed (daily)',
		nodes,
		links,
		stickies: [
			{
				content:
					"## QuickBooks → Stampli master data\nEvery night Stampli gets what changed in QuickBooks Online since the last run, so invoices are coded to valid targets: **vendors**, the **chart of accounts** (QuickBooks type and full name `Parent:Child`), **classes**, **departments** (locations) and open **purchase orders** with their lines. The first run sends everything; later runs send what QuickBooks' change data capture reports, deactivated records (`Active = false`) and deleted or closed purchase orders included.\n\n### Set up\n1. The five **QuickBooks** nodes: your *QuickBooks Online (Stampli)* credential.\n2. The five **Feed** nodes: your *Stampli SFTP* credential (its inbound directory), and the file names / columns agreed with Stampli.\n3. *Workflow settings → Error workflow*: **Stampli: Error Collector** (template 6).\n4. Activate. **Run Feed Now** sends the changes at once.",
				position: [-60, -420],
				width: 640,
				height: 420,
			},
			{
				content:
					'### Cursors move only with the file\nEach QuickBooks node ends its records with a state item; its Feed node saves that cursor only after the file is renamed into place on the SFTP server. A failed upload sends the same changes again next night. QuickBooks keeps 30 days of changes: after a longer pause the node reads everything. *Options → Reset Cursor* resends a whole list.',
				position: [880, 60],
				width: 320,
				height: 260,
				color: 7,
			},
			{
				content:
					'### Vendors Stampli created\nVendors the **Stampli → QuickBooks** workflow (template 4) created or matched carry their Stampli vendor id in QuickBooks (a line in the vendor’s Notes). The vendor feed gives it back in **StampliVendorId** beside the QuickBooks **VendorId**, so Stampli never takes them for new vendors.',
				position: [880, 360],
				width: 320,
				height: 240,
				color: 4,
			},
		],
	};
}
