/**
 * How the bill writer picks the Odoo vendor of an invoice it has no id for, on every Odoo target:
 * through the one vendor resolver (by VAT, then by reference), never guessing between candidates.
 */
import { many2oneId, upsertBills } from '../../../nodes/shared/odoo';
import { describeScenarios, scenario } from './harness';

describeScenarios('vendor pick', (peer) => {
	scenario(
		"a contact carrying its company's VAT and a partner of another company are not candidates; a second vendor with the VAT makes it ambiguous",
		async () => {
			const { client, data, admin } = peer();
			const digits = String(parseInt(data.tag, 16) % 10_000_000).padStart(7, '0');
			const vat = `US 77-${digits}`;
			const [vendorId] = await admin.create('res.partner', [
				{ name: data.name('PICK company'), vat, is_company: true, supplier_rank: 1 },
			]);
			// Odoo copies the company's VAT onto its contacts.
			const [contactId] = await admin.create('res.partner', [
				{ name: data.name('PICK contact'), parent_id: vendorId },
			]);
			expect((await admin.read('res.partner', [contactId], ['vat']))[0].vat).toBe(vat);
			const [otherCompany] = await admin.create('res.company', [{ name: data.name('OTHER co') }]);
			await admin.create('res.partner', [
				{ name: data.name('PICK elsewhere'), vat, is_company: true, company_id: otherCompany },
			]);
			const invoice = (n: number) =>
				data.invoice(`PICK-${n}`, {
					vendor: {
						stampliVendorId: data.name(`PICK-NOREF-${n}`),
						name: 'Pick',
						taxId: `US77${digits}`,
					},
				});

			const scoped = client({ companyId: data.companyId });
			const [picked] = await upsertBills(scoped, [await invoice(1)]);
			if (!picked.ok) throw new Error(picked.reason);
			expect(many2oneId((await data.move(Number(picked.erp.id))).partner_id)).toBe(vendorId);

			const [twinId] = await admin.create('res.partner', [
				{ name: data.name('PICK twin'), vat: `US77${digits}`, is_company: true, supplier_rank: 1 },
			]);
			const second = await invoice(2);
			const [ambiguous] = await upsertBills(scoped, [second]);
			expect(ambiguous.ok).toBe(false);
			const reason = ambiguous.ok ? '' : ambiguous.reason;
			expect(reason).toMatch(/matches 2 ERP vendors/);
			expect(reason).toContain(`${vendorId} "`);
			expect(reason).toContain(`${twinId} "`);
			expect(await data.billsByRef([second.invoiceNumber])).toEqual([]);
		},
		{ changesSettings: true },
	);
});
