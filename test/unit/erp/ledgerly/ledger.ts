/** An in-memory ERP ("Ledgerly") for the seam test: accounts, vendors and bills, and its own error class. */
export interface LedgerAccount {
	id: string;
	code: string;
	name: string;
	active: boolean;
}

export interface LedgerVendor {
	id: string;
	name: string;
	taxId?: string;
}

export interface LedgerBill {
	id: string;
	key: string;
	vendorId: string;
	total: string;
	currency: string;
	lines: Array<{ account: string; costCenter?: string; amount: string }>;
}

/** What Ledgerly answers when it refuses a write. */
export class LedgerError extends Error {
	constructor(
		message: string,
		readonly code: string,
	) {
		super(message);
		this.name = 'LedgerError';
	}
}

export class Ledger {
	readonly bills = new Map<string, LedgerBill>();
	/** Lookups asked, so tests can see the directories batch. */
	readonly lookups: string[] = [];
	private nextId = 1;

	constructor(
		readonly accounts: LedgerAccount[],
		readonly vendors: LedgerVendor[],
		/** Currencies Ledgerly refuses to book (to show an ERP refusal on one record). */
		readonly refusedCurrencies: string[] = [],
	) {}

	newId(): string {
		return `L${this.nextId++}`;
	}
}
