/**
 * A third ERP, test-only: everything an ERP folder holds (mapping target, directories, writer,
 * error description) in one place, registered at run time without editing any package file.
 */
import {
	ErpInputError,
	failed,
	validateInvoice,
	type ErpModule,
	type ErpOutcome,
	type ErpWriter,
} from '../../../../nodes/shared/erp';
import type { Invoice } from '../../../../nodes/shared/records/types';
import { LedgerlyAccounts, LedgerlyVendors } from './directories';
import { Ledger, LedgerError } from './ledger';
import { ledgerlyMappingTarget } from './mappingTarget';

function upsertOne(ledger: Ledger, invoice: Invoice): ErpOutcome {
	validateInvoice(invoice);
	const key = `LL-${invoice.stampliInvoiceId}`;
	if (invoice.mapping?.target !== 'ledgerly')
		throw new ErpInputError(`invoice ${invoice.stampliInvoiceId} is not mapped for Ledgerly`);
	if (ledger.refusedCurrencies.includes(invoice.currency))
		throw new LedgerError(`Ledgerly does not book ${invoice.currency}`, 'CURRENCY');
	const lines = invoice.lines.map((line) => {
		const target = invoice.mapping!.lines.find((m) => m.lineNumber === line.lineNumber)?.ledgerly;
		return { account: target!.accountId!, costCenter: target?.costCenter, amount: line.amount };
	});
	const bill = {
		key,
		vendorId: invoice.vendor.erpVendorId!,
		total: invoice.total,
		currency: invoice.currency,
		lines,
	};
	const existing = ledger.bills.get(key);
	if (
		existing &&
		JSON.stringify({ ...existing, id: undefined }) === JSON.stringify({ ...bill, id: undefined })
	)
		return {
			ok: true,
			erp: { system: 'ledgerly', id: existing.id, externalId: key, action: 'unchanged' },
		};
	const id = existing?.id ?? ledger.newId();
	ledger.bills.set(key, { id, ...bill });
	return {
		ok: true,
		erp: {
			system: 'ledgerly',
			id,
			externalId: key,
			action: existing ? 'updated' : 'created',
			amountTotal: invoice.total,
		},
	};
}

export function ledgerlyWriter(ledger: Ledger): ErpWriter {
	return {
		system: 'ledgerly',
		idempotencyKey: (kind, record) => `LL-${(record as Invoice).stampliInvoiceId}`,
		upsertBills: async (invoices) =>
			invoices.map((invoice) => {
				try {
					return upsertOne(ledger, invoice);
				} catch (error) {
					return failed(error);
				}
			}),
	};
}

export const ledgerlyErp: ErpModule<Ledger> = {
	system: 'ledgerly',
	label: 'Ledgerly',
	mappingTarget: ledgerlyMappingTarget,
	ui: {
		targetName: 'Ledgerly',
		accountLookup: 'Look codes up live in Ledgerly',
		vendorLookup: 'Also look vendors up live in Ledgerly',
	},
	directories: (ledger) => ({
		vendors: new LedgerlyVendors(ledger),
		accounts: new LedgerlyAccounts(ledger),
	}),
	writer: ledgerlyWriter,
	describeError: (error) =>
		error instanceof LedgerError
			? {
					details: { code: error.code, message: error.message },
					description: `Ledgerly code ${error.code}`,
				}
			: undefined,
};
