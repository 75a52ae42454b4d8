/**
 * Vendor sync: canonical vendors (a Stampli vendor export, or the vendor of each invoice) →
 * QuickBooks Vendors. Matched by DisplayName (case-insensitive, inactive vendors included), with
 * one query per group of names; created with address and tax id when missing, updated (sparse,
 * with the SyncToken from that query) when what Stampli knows differs, in `/batch` requests.
 * QuickBooks keeps DisplayName unique across customers, vendors and employees (6240). A 6240 on
 * create is first taken as "another run created this vendor since our lookup" and answered by one
 * more lookup for all clashing names; a name held by a customer or employee gets an actionable
 * message, or a retry with a configured suffix. A vendor created or matched for a Stampli vendor
 * carries that vendor's id in its Notes (vendorLink.ts), so the master-data feed can give it back.
 */
import { failed, inputFailure, type ErpOutcome, type VendorInput } from '../erp';
import type { Address } from '../records';
import type { QboClient } from './client';
import { QboError, QboErrorCode } from './errors';
import { chunkForIn, inClause } from './query';
import { linkedNotes } from './vendorLink';

export type { VendorInput };

export interface QboVendor {
	Id: string;
	SyncToken: string;
	DisplayName: string;
	Active?: boolean;
	TaxIdentifier?: string;
	BillAddr?: Record<string, string>;
	PrimaryEmailAddr?: { Address?: string };
	PrimaryPhone?: { FreeFormNumber?: string };
	Notes?: string;
	[key: string]: unknown;
}

export interface VendorSyncOptions {
	/** Update vendors that exist but differ (default true). */
	updateExisting?: boolean;
	/** Create vendors that do not exist (default true). */
	createMissing?: boolean;
	/**
	 * Reactivate an inactive vendor even when `updateExisting` is off (default false). The bills flow
	 * sets it: QuickBooks refuses a bill whose vendor is inactive (610).
	 */
	reactivateInactive?: boolean;
	/** When a name is taken by a customer or employee, retry once as `name + suffix`, e.g. " (Vendor)". */
	duplicateNameSuffix?: string;
	/**
	 * The vendors a lookup of these names already returned (by `normaliseName`), when the caller
	 * has just asked QuickBooks; the sync then does not ask again.
	 */
	lookedUp?: Map<string, QboVendor>;
}

export type VendorOutcome = ErpOutcome<{
	vendorId: string;
	displayName: string;
	/** Set when something worth telling the user happened, e.g. CONCURRENT_VENDOR_NOTE; also in erp.reason. */
	note?: string;
}>;

interface PendingCreate {
	key: string;
	input: VendorInput;
	displayName: string;
}

interface PendingUpdate {
	key: string;
	input: VendorInput;
	current: QboVendor;
	changes: Record<string, unknown>;
	/** Why this vendor is being updated beyond "it differs", e.g. CONCURRENT_VENDOR_NOTE. */
	note?: string;
}

export const MAX_DISPLAY_NAME = 500;

export function normaliseName(name: string): string {
	return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Problems QuickBooks would reject, reported before any call. */
export function validateVendorInput(v: VendorInput): string | undefined {
	if (typeof v.name !== 'string' || !v.name.trim()) return 'vendor.name is empty';
	if (v.name.trim().length > MAX_DISPLAY_NAME)
		return `vendor.name is longer than ${MAX_DISPLAY_NAME} characters`;
	if (/[:\t\n]/.test(v.name))
		return `vendor.name "${v.name}" contains a colon, tab or newline, which QuickBooks does not allow in a DisplayName`;
	return undefined;
}

function digits(value: string | undefined): string {
	return (value ?? '').replace(/[^0-9A-Za-z]/g, '');
}

/** QuickBooks answers tax ids masked ("XXXXX6789"): compare the last four characters. */
export function sameTaxId(stampli: string | undefined, qbo: string | undefined): boolean {
	if (!stampli) return true;
	if (!qbo) return false;
	return digits(stampli).slice(-4) === digits(qbo).slice(-4);
}

export function toQboAddress(a: Address): Record<string, string> {
	const out: Record<string, string> = {};
	if (a.line1) out.Line1 = a.line1;
	if (a.line2) out.Line2 = a.line2;
	if (a.city) out.City = a.city;
	if (a.region) out.CountrySubDivisionCode = a.region;
	if (a.postalCode) out.PostalCode = a.postalCode;
	if (a.country) out.Country = a.country;
	return out;
}

/** The Vendor body for a create. */
export function toQboVendorCreate(
	v: VendorInput,
	displayName = v.name.trim(),
): Record<string, unknown> {
	const body: Record<string, unknown> = {
		DisplayName: displayName,
		CompanyName: v.name.trim().slice(0, 100),
	};
	if (v.taxId) body.TaxIdentifier = v.taxId;
	if (v.address && Object.keys(toQboAddress(v.address)).length)
		body.BillAddr = toQboAddress(v.address);
	if (v.email) body.PrimaryEmailAddr = { Address: v.email };
	if (v.phone) body.PrimaryPhone = { FreeFormNumber: v.phone };
	const notes = linkedNotes(undefined, v.stampliVendorId);
	if (notes) body.Notes = notes;
	return body;
}

/** Sparse changes needed so QuickBooks holds what Stampli knows; empty when nothing differs. Never blanks a field Stampli lacks. */
export function vendorChanges(v: VendorInput, q: QboVendor): Record<string, unknown> {
	const changes: Record<string, unknown> = {};
	if (v.taxId && !sameTaxId(v.taxId, q.TaxIdentifier)) changes.TaxIdentifier = v.taxId;
	if (v.address) {
		const wanted = toQboAddress(v.address);
		const current = q.BillAddr ?? {};
		if (Object.entries(wanted).some(([k, val]) => (current[k] ?? '') !== val))
			changes.BillAddr = { ...wanted };
	}
	if (v.email && q.PrimaryEmailAddr?.Address !== v.email)
		changes.PrimaryEmailAddr = { Address: v.email };
	if (v.phone && q.PrimaryPhone?.FreeFormNumber !== v.phone)
		changes.PrimaryPhone = { FreeFormNumber: v.phone };
	if (q.Active === false && v.active !== false) changes.Active = true;
	const notes = linkedNotes(q.Notes, v.stampliVendorId);
	if (notes) changes.Notes = notes;
	return changes;
}

/** What must change on a vendor found in QuickBooks, under the update / reactivation options. */
function changesFor(
	v: VendorInput,
	q: QboVendor,
	options: { updateExisting: boolean; reactivateInactive?: boolean },
): Record<string, unknown> {
	if (options.updateExisting) return vendorChanges(v, q);
	return options.reactivateInactive && q.Active === false && v.active !== false
		? { Active: true }
		: {};
}

/** Looks vendors up by DisplayName, inactive ones included: one query per group of names. */
export async function findVendorsByName(
	client: QboClient,
	names: string[],
): Promise<Map<string, QboVendor>> {
	const found = new Map<string, QboVendor>();
	const unique = [...new Set(names.map((n) => n.trim()))].filter(Boolean);
	for (const group of chunkForIn(unique)) {
		const rows = await client.queryAll<QboVendor>('Vendor', [
			inClause('DisplayName', group),
			'Active IN (true, false)',
		]);
		for (const row of rows) {
			const key = normaliseName(row.DisplayName);
			// Prefer an active vendor when an inactive one shares the name (older data).
			if (!found.has(key) || found.get(key)!.Active === false) found.set(key, row);
		}
	}
	return found;
}

/** Several records for one name in a call (e.g. one per invoice): later non-empty fields win. */
function mergeInputs(inputs: VendorInput[]): VendorInput {
	const merged: VendorInput = { ...inputs[0] };
	for (const next of inputs.slice(1)) {
		for (const [k, v] of Object.entries(next))
			if (v !== undefined && v !== '' && v !== null)
				(merged as unknown as Record<string, unknown>)[k] = v;
	}
	return merged;
}

/** erp.reason (and `note`) when our create lost a race to another run that created the same vendor. */
export const CONCURRENT_VENDOR_NOTE = 'vendor created concurrently, reused';

function duplicateNameMessage(name: string, error: QboError): string {
	return (
		`QuickBooks refused vendor "${name}": the DisplayName is already used by a customer or an employee (error 6240; ` +
		`QuickBooks keeps DisplayName unique across customers, vendors and employees, and no vendor has this name). Rename the vendor ` +
		`in Stampli, rename the other record in QuickBooks, or set the "Duplicate Name Suffix" option (e.g. " (Vendor)") so the vendor is created under a distinct name.` +
		(error.errors[0]?.detail ? ` QuickBooks said: ${error.errors[0].detail}` : '')
	);
}

/**
 * Makes QuickBooks hold each vendor. Returns one outcome per input, in order. Vendors sharing a
 * name in one call are written once and share the outcome.
 */
export async function syncVendors(
	client: QboClient,
	vendors: VendorInput[],
	options: VendorSyncOptions = {},
): Promise<VendorOutcome[]> {
	const updateExisting = options.updateExisting ?? true;
	const createMissing = options.createMissing ?? true;
	const outcomes: VendorOutcome[] = new Array(vendors.length);
	const groups = new Map<string, number[]>();
	vendors.forEach((v, i) => {
		const problem = validateVendorInput(v);
		if (problem) {
			outcomes[i] = inputFailure(problem, 'INVALID_INPUT');
			return;
		}
		const key = normaliseName(v.name);
		groups.set(key, [...(groups.get(key) ?? []), i]);
	});
	if (groups.size === 0) return outcomes;

	const settle = (key: string, outcome: VendorOutcome) => {
		for (const i of groups.get(key) ?? []) outcomes[i] = outcome;
	};

	let existing: Map<string, QboVendor>;
	try {
		existing =
			options.lookedUp ??
			(await findVendorsByName(
				client,
				[...groups.keys()].map((k) => vendors[groups.get(k)![0]].name),
			));
	} catch (error) {
		for (const key of groups.keys())
			settle(key, failed(error, `Vendor lookup failed: ${(error as Error).message}`));
		return outcomes;
	}

	const toCreate: PendingCreate[] = [];
	const toUpdate: PendingUpdate[] = [];
	for (const [key, indexes] of groups) {
		const input = mergeInputs(indexes.map((i) => vendors[i]));
		const current = existing.get(key);
		if (!current) {
			if (createMissing) toCreate.push({ key, input, displayName: input.name.trim() });
			else
				settle(
					key,
					inputFailure(
						`Vendor "${input.name}" does not exist in QuickBooks and creating vendors is off`,
						'VENDOR_NOT_FOUND',
					),
				);
			continue;
		}
		const changes = changesFor(input, current, {
			updateExisting,
			reactivateInactive: options.reactivateInactive,
		});
		if (Object.keys(changes).length === 0) {
			settle(key, {
				ok: true,
				vendorId: current.Id,
				displayName: current.DisplayName,
				erp: { system: 'quickbooks', id: current.Id, action: 'unchanged' },
			});
		} else {
			toUpdate.push({ key, input, current, changes });
		}
	}

	// Vendors another run created between our lookup and our create come back as updates when they differ.
	const reused = await createVendors(client, toCreate, { ...options, updateExisting }, settle);
	await updateVendors(client, [...toUpdate, ...reused], settle);
	return outcomes;
}

type Settle = (key: string, outcome: VendorOutcome) => void;
type Clash = { p: PendingCreate; error: QboError };

/** One /batch of creates: created vendors settled, other failures settled, 6240 clashes returned. */
async function sendCreates(
	client: QboClient,
	round: PendingCreate[],
	settle: Settle,
): Promise<Clash[]> {
	const results = await client.batch(
		round.map((p) => ({
			operation: 'create',
			entity: 'Vendor',
			body: toQboVendorCreate(p.input, p.displayName),
		})),
	);
	const clashed: Clash[] = [];
	results.forEach((result, i) => {
		const p = round[i];
		if (result.ok) {
			const v = result.entity as unknown as QboVendor;
			settle(p.key, {
				ok: true,
				vendorId: v.Id,
				displayName: v.DisplayName,
				erp: {
					system: 'quickbooks',
					id: v.Id,
					action: 'created',
					reason:
						p.displayName !== p.input.name.trim()
							? `name taken in QuickBooks; created as "${p.displayName}"`
							: undefined,
				},
			});
		} else if (result.error.hasCode(QboErrorCode.duplicateName)) {
			clashed.push({ p, error: result.error });
		} else {
			settle(
				p.key,
				failed(result.error, `Creating vendor "${p.input.name}" failed: ${result.error.message}`),
			);
		}
	});
	return clashed;
}

/**
 * Creates vendors in `/batch`. A 6240 (DisplayName taken) usually means another run, or another
 * batch of this one, created the same vendor since our lookup: all names that clashed in a round
 * are looked up again in one query (with their suffixed form when a suffix is configured), and a
 * vendor found is used like one found by the first lookup. Only a name held by a customer or an
 * employee ends in the actionable error (or a create under the suffixed name). Returns the reused
 * vendors that still need an update.
 */
async function createVendors(
	client: QboClient,
	pending: PendingCreate[],
	options: VendorSyncOptions & { updateExisting: boolean },
	settle: Settle,
): Promise<PendingUpdate[]> {
	const followUps: PendingUpdate[] = [];
	const reuse = (p: PendingCreate, vendor: QboVendor, note: string) => {
		const changes = changesFor(p.input, vendor, options);
		if (Object.keys(changes).length)
			followUps.push({ key: p.key, input: p.input, current: vendor, changes, note });
		else
			settle(p.key, {
				ok: true,
				vendorId: vendor.Id,
				displayName: vendor.DisplayName,
				note,
				erp: { system: 'quickbooks', id: vendor.Id, action: 'unchanged', reason: note },
			});
	};
	let round = pending;
	for (let attempt = 0; attempt < 2 && round.length; attempt++) {
		const clashed = await sendCreates(client, round, settle);
		if (!clashed.length) break;
		const suffix = attempt === 0 ? options.duplicateNameSuffix : undefined;
		round = await resolveClashes(client, clashed, suffix, reuse, settle);
	}
	return followUps;
}

/**
 * Looks every clashing name up again (and its suffixed form): the same vendor created meanwhile, or
 * a suffixed one from an earlier run, is reused; otherwise, with a suffix, the vendor is created
 * under the suffixed name in the next round (returned); without one, the clash is the user's to fix.
 */
async function resolveClashes(
	client: QboClient,
	clashed: Clash[],
	suffix: string | undefined,
	reuse: (p: PendingCreate, vendor: QboVendor, note: string) => void,
	settle: Settle,
): Promise<PendingCreate[]> {
	const suffixed = (p: PendingCreate) => `${p.input.name.trim()}${suffix}`;
	let found: Map<string, QboVendor>;
	try {
		found = await findVendorsByName(
			client,
			clashed.flatMap(({ p }) => (suffix ? [p.displayName, suffixed(p)] : [p.displayName])),
		);
	} catch (error) {
		for (const { p } of clashed)
			settle(
				p.key,
				failed(
					error,
					`QuickBooks reported vendor "${p.displayName}" as a duplicate name, and looking it up again failed: ${(error as Error).message}`,
					(error as QboError).code ?? QboErrorCode.duplicateName,
				),
			);
		return [];
	}
	const next: PendingCreate[] = [];
	for (const { p, error } of clashed) {
		const same = found.get(normaliseName(p.displayName));
		if (same) {
			reuse(
				p,
				same,
				p.displayName === p.input.name.trim()
					? CONCURRENT_VENDOR_NOTE
					: `${CONCURRENT_VENDOR_NOTE} ("${same.DisplayName}", name with suffix)`,
			);
			continue;
		}
		// A suffixed vendor from an earlier run is ours: reuse it rather than fail.
		const earlier = suffix ? found.get(normaliseName(suffixed(p))) : undefined;
		if (earlier) reuse(p, earlier, `matched "${earlier.DisplayName}" (name with suffix)`);
		else if (suffix) next.push({ ...p, displayName: suffixed(p) });
		else
			settle(
				p.key,
				failed(error, duplicateNameMessage(p.displayName, error), QboErrorCode.duplicateName),
			);
	}
	return next;
}

async function updateVendors(
	client: QboClient,
	pending: PendingUpdate[],
	settle: Settle,
): Promise<void> {
	let round = pending;
	for (let attempt = 0; attempt < 2 && round.length; attempt++) {
		const stale = await sendUpdates(client, round, attempt === 0, settle);
		round = stale.length ? await rereadStale(client, stale, settle) : [];
	}
}

/** One /batch of sparse updates; returns the vendors a 5010 says someone else edited meanwhile. */
async function sendUpdates(
	client: QboClient,
	round: PendingUpdate[],
	retryable: boolean,
	settle: Settle,
): Promise<PendingUpdate[]> {
	const results = await client.batch(
		round.map((p) => ({
			operation: 'update',
			entity: 'Vendor',
			body: { Id: p.current.Id, SyncToken: p.current.SyncToken, ...p.changes },
			options: { sparse: true },
		})),
	);
	const stale: PendingUpdate[] = [];
	results.forEach((result, i) => {
		const p = round[i];
		if (result.ok) {
			const v = result.entity as unknown as QboVendor;
			const changed = `changed ${Object.keys(p.changes).join(', ')}`;
			settle(p.key, {
				ok: true,
				vendorId: v.Id,
				displayName: v.DisplayName,
				note: p.note,
				erp: {
					system: 'quickbooks',
					id: v.Id,
					action: 'updated',
					reason: p.note ? `${p.note}; ${changed}` : changed,
				},
			});
		} else if (result.error.hasCode(QboErrorCode.staleObject) && retryable) {
			stale.push(p);
		} else {
			settle(
				p.key,
				failed(
					result.error,
					`Updating vendor "${p.input.name}" (QuickBooks id ${p.current.Id}) failed: ${result.error.message}`,
				),
			);
		}
	});
	return stale;
}

/** 5010: re-read once; a vendor already as wanted is settled, the rest retried with fresh SyncTokens. */
async function rereadStale(
	client: QboClient,
	stale: PendingUpdate[],
	settle: Settle,
): Promise<PendingUpdate[]> {
	const fresh = await client.queryAll<QboVendor>('Vendor', [
		inClause(
			'Id',
			stale.map((s) => s.current.Id),
		),
		'Active IN (true, false)',
	]);
	const byId = new Map(fresh.map((v) => [v.Id, v]));
	const retry: PendingUpdate[] = [];
	for (const s of stale) {
		const current = byId.get(s.current.Id);
		if (!current) {
			const message = `Vendor ${s.current.Id} disappeared from QuickBooks during the update`;
			settle(
				s.key,
				failed(
					new QboError(404, 'ValidationFault', [{ code: QboErrorCode.objectNotFound, message }]),
					message,
				),
			);
			continue;
		}
		const changes = vendorChanges(s.input, current);
		const reason = s.note
			? `${s.note}; already up to date after a concurrent edit`
			: 'already up to date after a concurrent edit';
		if (Object.keys(changes).length === 0)
			settle(s.key, {
				ok: true,
				vendorId: current.Id,
				displayName: current.DisplayName,
				note: s.note,
				erp: { system: 'quickbooks', id: current.Id, action: 'unchanged', reason },
			});
		else retry.push({ ...s, current, changes });
	}
	return retry;
}
