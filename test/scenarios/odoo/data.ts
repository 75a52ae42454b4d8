/**
 * Test data a scenario makes in the target's database, through RPC only, so the same code works on
 * the emulator, a real template copy and your own Odoo. Every record carries this suite's tag
 * (`STAMPLI-TEST-<tag>`), so runs never collide and a person can find (and delete) what a run made.
 */
import { randomBytes } from 'node:crypto';
import type { OdooClient, OdooRecord } from '../../../nodes/shared/odoo';
import { many2oneId } from '../../../nodes/shared/odoo';
import type { Invoice, Payment, VendorRef } from '../../../nodes/shared/records/types';
import type { OdooTarget } from './targets';

export const TEST_PREFIX = 'STAMPLI-TEST';

export interface ExpenseAccount {
	id: number;
	code: string;
}

export class ScenarioData {
	/** Promises, so invoices made at once share one vendor instead of racing to create it. */
	private vendors = new Map<string, Promise<VendorRef & { partnerId: number }>>();
	private constructor(
		readonly admin: OdooClient,
		readonly target: OdooTarget,
		/** Unique per suite: `STAMPLI-TEST-<tag>-…` in every name, ref and id this suite makes. */
		readonly tag: string,
		/** Three expense accounts of the company (the generic chart's 600000, 611000, 612000 when present). */
		readonly accounts: ExpenseAccount[],
		readonly companyId: number,
		readonly companyCurrency: string,
	) {}

	static async open(admin: OdooClient, target: OdooTarget, _title: string): Promise<ScenarioData> {
		const tag = randomBytes(3).toString('hex').toUpperCase();
		const uid = await admin.uid();
		const [user] = await admin.read('res.users', [uid], ['company_id']);
		const companyId = many2oneId(user.company_id)!;
		const [company] = await admin.read('res.company', [companyId], ['currency_id']);
		const currency = (
			await admin.read('res.currency', [many2oneId(company.currency_id)!], ['name'])
		)[0].name;
		const major = await admin.serverVersion();
		const companyLeaf =
			major >= 18 ? ['company_ids', 'in', [companyId]] : ['company_id', '=', companyId];
		const rows = await admin.searchRead(
			'account.account',
			[['account_type', '=', 'expense'], companyLeaf as [string, string, number]],
			{ fields: ['code'], order: 'code asc' },
		);
		const preferred = ['600000', '611000', '612000'];
		const chosen = [
			...preferred.map((code) => rows.find((r) => r.code === code)).filter(Boolean),
			...rows.filter((r) => !preferred.includes(r.code)),
		].slice(0, 3) as OdooRecord[];
		if (chosen.length < 3)
			throw new Error(
				`${target.id}: the company needs three expense accounts; found ${chosen.length}`,
			);
		return new ScenarioData(
			admin,
			target,
			tag,
			chosen.map((r) => ({ id: r.id, code: String(r.code) })),
			companyId,
			currency,
		);
	}

	/** `STAMPLI-TEST-<tag>-<what>` */
	name(what: string | number): string {
		return `${TEST_PREFIX}-${this.tag}-${what}`;
	}

	/** A vendor (supplier) made for this suite, found by the bill writer through its `ref`. */
	async vendor(
		key = 'V1',
		extra: Record<string, string | number | boolean> = {},
	): Promise<VendorRef & { partnerId: number }> {
		const cached = this.vendors.get(key);
		if (cached) return cached;
		const ref = this.name(key);
		const vendor = this.admin
			.create('res.partner', [
				{ name: `${ref} vendor`, ref, is_company: true, supplier_rank: 1, ...extra },
			])
			.then(([partnerId]) => ({ stampliVendorId: ref, name: `${ref} vendor`, partnerId }));
		this.vendors.set(key, vendor);
		return vendor;
	}

	/**
	 * An approved Stampli invoice: `lines` lines of quantity k, unit price 10.25 + k - 1 on the three
	 * expense accounts in turn; total = sum of the lines (no tax).
	 */
	async invoice(n: number | string, overrides: Partial<Invoice> = {}, lines = 2): Promise<Invoice> {
		const vendor = overrides.vendor ?? (await this.vendor());
		const invoiceLines = Array.from({ length: lines }, (_, k) => {
			const cents = (k + 1) * (1025 + k * 100);
			return {
				lineNumber: k + 1,
				description: `${this.name(n)} line ${k + 1}`,
				quantity: String(k + 1),
				unitPrice: ((1025 + k * 100) / 100).toFixed(2),
				amount: (cents / 100).toFixed(2),
				glAccount: this.accounts[k % this.accounts.length].code,
				dimensions: {},
			};
		});
		const total = invoiceLines.reduce((sum, l) => sum + Math.round(Number(l.amount) * 100), 0);
		const { partnerId: _partnerId, ...vendorRef } = vendor as VendorRef & { partnerId?: number };
		return {
			stampliInvoiceId: `${this.name(`INV-${n}`)}`,
			invoiceNumber: this.name(n),
			documentType: 'bill',
			vendor: vendorRef,
			invoiceDate: '2026-11-20',
			dueDate: '2026-12-20',
			currency: this.companyCurrency,
			total: (total / 100).toFixed(2),
			lines: invoiceLines,
			source: {
				file: `/outbound/${this.name('invoices')}.csv`,
				sha256: 'a'.repeat(64),
				format: 'csv',
				template: 'invoice-export@1',
				rows: [1, 2],
			},
			...overrides,
		};
	}

	payment(invoice: Invoice, amount: string, n = 1, overrides: Partial<Payment> = {}): Payment {
		return {
			stampliPaymentId: `${invoice.stampliInvoiceId}-PAY-${n}`,
			stampliInvoiceId: invoice.stampliInvoiceId,
			invoiceNumber: invoice.invoiceNumber,
			vendor: invoice.vendor,
			paymentDate: '2026-11-25',
			amount,
			currency: invoice.currency,
			reference: `${this.name('ACH')}-${n}`,
			source: {
				file: `/outbound/${this.name('payments')}.csv`,
				sha256: 'b'.repeat(64),
				format: 'csv',
				template: 'payment-export@1',
				rows: [n],
			},
			...overrides,
		};
	}

	async move(id: number, fields = MOVE_FIELDS): Promise<OdooRecord> {
		const [move] = await this.admin.read('account.move', [id], fields);
		if (!move) throw new Error(`account.move ${id} does not exist`);
		return move;
	}

	/** Product lines of a bill, in order. */
	async lines(moveId: number): Promise<OdooRecord[]> {
		const move = await this.move(moveId, ['invoice_line_ids']);
		const rows = await this.admin.read('account.move.line', move.invoice_line_ids as number[], [
			'name',
			'quantity',
			'price_unit',
			'account_id',
			'purchase_line_id',
			'display_type',
			'sequence',
		]);
		return rows
			.filter((l) => !l.display_type || l.display_type === 'product')
			.sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0) || a.id - b.id);
	}

	/** Bills of this suite whose vendor reference (`ref`) is one of these invoice numbers. */
	async billsByRef(refs: string[]): Promise<OdooRecord[]> {
		return this.admin.searchRead(
			'account.move',
			[
				['ref', 'in', refs],
				['move_type', 'in', ['in_invoice', 'in_refund']],
			],
			{
				fields: ['ref', 'state', 'move_type'],
				order: 'id asc',
			},
		);
	}

	/**
	 * A confirmed purchase order of this suite's vendor with one product line per entry. Products are
	 * made for it (service products, billed on ordered quantities).
	 */
	async purchaseOrder(
		key: string,
		lines: Array<{ name: string; qty: string; price: string }>,
	): Promise<{ id: number; name: string; lineIds: number[] }> {
		const vendor = await this.vendor();
		const productIds = await this.admin.create(
			'product.product',
			lines.map((l) => ({
				name: `${this.name(key)} ${l.name}`,
				type: 'service',
				purchase_method: 'purchase',
			})),
		);
		const [orderId] = await this.admin.create('purchase.order', [
			{
				partner_id: vendor.partnerId,
				partner_ref: this.name(`${key}-REF`),
				order_line: lines.map((l, k) => [
					0,
					0,
					{
						product_id: productIds[k],
						name: l.name,
						product_qty: Number(l.qty),
						price_unit: Number(l.price),
					},
				]),
			},
		]);
		await this.admin.call('purchase.order', 'button_confirm', [[orderId]]).catch((error) => {
			// Odoo 17 marshals button_confirm's None answer over XML-RPC as a fault after committing.
			if (!/cannot marshal None/.test(String(error?.message))) throw error;
		});
		const [order] = await this.admin.read(
			'purchase.order',
			[orderId],
			['name', 'state', 'order_line'],
		);
		if (order.state !== 'purchase')
			throw new Error(`purchase order ${order.name} is ${order.state}, not confirmed`);
		return { id: orderId, name: order.name, lineIds: order.order_line as number[] };
	}
}

export const MOVE_FIELDS = [
	'name',
	'state',
	'move_type',
	'partner_id',
	'ref',
	'invoice_date',
	'date',
	'currency_id',
	'amount_total',
	'amount_residual',
	'payment_state',
];
