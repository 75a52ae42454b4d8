/** The bill writer's decisions as data: no server, only what load would have read. */
import { planBills, type BillAction } from '../../../nodes/shared/odoo/bills';
import type { ExistingBills } from '../../../nodes/shared/odoo/bills/load';
import type { DesiredBill } from '../../../nodes/shared/odoo/bills/types';
import type { XmlIdRow } from '../../../nodes/shared/odoo/externalIds';
import type { OdooRecord } from '../../../nodes/shared/odoo/values';
import type { Invoice } from '../../../nodes/shared/records/types';

function bill(n: number, over: Partial<DesiredBill['header']> = {}): DesiredBill {
	const invoice = {
		stampliInvoiceId: `STI-${n}`,
		invoiceNumber: `INV-${n}`,
		currency: 'USD',
		total: '10.00',
		invoiceDate: '2026-11-20',
		lines: [],
		source: { file: 'f.csv', rows: [n] },
	} as unknown as Invoice;
	return {
		index: n,
		invoice,
		externalName: `invoice_STI_${n}`,
		header: {
			move_type: 'in_invoice',
			partner_id: 7,
			ref: `INV-${n}`,
			invoice_date: '2026-11-20',
			currency_id: 1,
			...over,
		},
		lines: [{ name: 'x', quantity: '1', priceUnit: '10', accountId: 30, taxIds: [] }],
		poLinks: [],
		warnings: [],
	};
}

function move(id: number, b: DesiredBill, over: Partial<OdooRecord> = {}): OdooRecord {
	return {
		id,
		name: `BILL/${id}`,
		state: 'draft',
		payment_state: 'not_paid',
		move_type: b.header.move_type,
		partner_id: [b.header.partner_id, 'Vendor'],
		ref: b.header.ref,
		invoice_date: b.header.invoice_date,
		invoice_date_due: false,
		currency_id: [1, 'USD'],
		amount_total: 10,
		amount_tax: 0,
		invoice_line_ids: [id * 10],
		...over,
	};
}

const sameLine = (id: number) => ({
	id: id * 10,
	name: 'x',
	quantity: 1,
	price_unit: 10,
	account_id: [30, '600000'],
	tax_ids: [],
	purchase_line_id: false,
});

function world(
	moves: OdooRecord[],
	keyed: Array<[DesiredBill, number]>,
	orphans: Array<[DesiredBill, number[]]> = [],
): { xmlIds: Map<string, XmlIdRow>; existing: ExistingBills } {
	const xmlIds = new Map<string, XmlIdRow>(
		keyed.map(([b, id], k) => [
			b.externalName,
			{ id: 100 + k, module: 'stampli', name: b.externalName, model: 'account.move', res_id: id },
		]),
	);
	return {
		xmlIds,
		existing: {
			moves: new Map(moves.map((m) => [m.id, m])),
			lines: new Map(moves.map((m) => [m.id, [sameLine(m.id)]])),
			orphans: new Map(
				orphans.map(([b, ids]) => [
					`${b.header.move_type}|${b.header.partner_id}|${b.header.ref}`,
					ids,
				]),
			),
		},
	};
}

const summary = (actions: BillAction[]) =>
	actions.map((a) => [
		a.kind,
		'adopt' in a && a.adopt ? 'adopt' : '',
		'move' in a && a.move ? a.move.id : null,
	]);

describe('planBills', () => {
	it('creates what Odoo does not hold, and leaves unchanged bills alone', () => {
		const [a, b] = [bill(1), bill(2)];
		const { xmlIds, existing } = world([move(5, b)], [[b, 5]]);
		expect(summary(planBills([a, b], xmlIds, existing, {}))).toEqual([
			['create', '', null],
			['unchanged', '', 5],
		]);
	});

	it('adopts a bill a cut-off run left without its key, instead of creating it again', () => {
		const a = bill(1);
		const { xmlIds, existing } = world([move(9, a)], [], [[a, [9]]]);
		const [action] = planBills([a], xmlIds, existing, {});
		expect(summary([action])).toEqual([['unchanged', 'adopt', 9]]);
		expect(action.why).toMatch(/^adopt orphan 9/);
	});

	it('an adopted draft that differs is updated, and posted when auto-post is on', () => {
		const a = bill(1);
		const { xmlIds, existing } = world([move(9, a, { ref: a.header.ref })], [], [[a, [9]]]);
		existing.lines.set(9, [{ ...sameLine(9), price_unit: 12 }]);
		expect(summary(planBills([a], xmlIds, existing, {}))).toEqual([['update', 'adopt', 9]]);
		existing.lines.set(9, [sameLine(9)]);
		expect(summary(planBills([a], xmlIds, existing, { autoPost: true }))).toEqual([
			['post', 'adopt', 9],
		]);
	});

	it('two bills without a key for one invoice: fails naming them, never picks one', () => {
		const a = bill(1);
		const { xmlIds, existing } = world([move(9, a), move(10, a)], [], [[a, [9, 10]]]);
		const [action] = planBills([a], xmlIds, existing, {});
		expect(action.kind).toBe('fail');
		expect((action as { reason: string }).reason).toMatch(/ids 9, 10/);
	});

	it('one orphan is adopted by one invoice only', () => {
		const a = bill(1);
		const twin = { ...bill(2), header: { ...a.header } };
		const { xmlIds, existing } = world([move(9, a)], [], [[a, [9]]]);
		expect(summary(planBills([a, twin], xmlIds, existing, {}))).toEqual([
			['unchanged', 'adopt', 9],
			['create', '', null],
		]);
	});

	it('posted bills: skipped by default, reset-update-repost when asked and unpaid, skipped when paid', () => {
		const [a, b] = [bill(1), bill(2)];
		const { xmlIds, existing } = world(
			[move(5, a, { state: 'posted' }), move(6, b, { state: 'posted', payment_state: 'paid' })],
			[
				[a, 5],
				[b, 6],
			],
		);
		for (const id of [5, 6]) existing.lines.set(id, [{ ...sameLine(id), price_unit: 99 }]);
		const skip = planBills([a, b], xmlIds, existing, {});
		expect(skip.map((x) => [x.kind, (x as { reason?: string }).reason])).toEqual([
			['skip', 'posted'],
			['skip', 'posted and paid'],
		]);
		const repost = planBills([a, b], xmlIds, existing, { postedPolicy: 'resetUpdateRepost' });
		expect(repost.map((x) => x.kind)).toEqual(['resetUpdateRepost', 'skip']);
	});

	it('a deleted bill is created again and its dangling key dropped', () => {
		const a = bill(1);
		const { xmlIds, existing } = world([], [[a, 5]]);
		const [action] = planBills([a], xmlIds, existing, {});
		expect(action).toMatchObject({ kind: 'create', staleXmlId: 100 });
	});

	it('an unchanged bill whose Odoo total differs: fails under "fail", warns otherwise', () => {
		const a = bill(1);
		const { xmlIds, existing } = world([move(5, a, { amount_total: 11 })], [[a, 5]]);
		expect(planBills([a], xmlIds, existing, { totalMismatch: 'fail' })[0].kind).toBe('fail');
		const [warned] = planBills([a], xmlIds, existing, {});
		expect(warned.kind).toBe('unchanged');
		expect((warned as { check?: { mismatch?: string } }).check?.mismatch).toMatch(
			/Odoo 11.00 vs Stampli 10.00/,
		);
	});
});
