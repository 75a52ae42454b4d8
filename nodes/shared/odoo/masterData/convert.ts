/** Odoo wire values → canonical values: floats to decimal strings, UTC datetimes to dates, many2one names. */
import Decimal from 'decimal.js';
import { OdooError } from '../errors';
import type { OdooDomain } from '../values';

/** A float field as Odoo returns it → decimal string. Odoo stores numerics rounded; the double prints them exactly. */
export function odooNumber(value: unknown): string | undefined {
	if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
	// 10 places strip binary noise (0.1 + 0.2) without losing any precision Odoo stores (≤ 6 digits for prices).
	const fixed = new Decimal(value).toDecimalPlaces(10).toFixed();
	return fixed === '-0' ? '0' : fixed;
}

/** `false` / '' → undefined, else the text. */
export function odooText(value: unknown): string | undefined {
	if (typeof value === 'string') return value === '' ? undefined : value;
	if (typeof value === 'number') return String(value);
	return undefined;
}

export function many2oneName(value: unknown): string | undefined {
	return Array.isArray(value) && typeof value[1] === 'string' ? value[1] : undefined;
}

export function many2oneIdText(value: unknown): string | undefined {
	if (Array.isArray(value) && typeof value[0] === 'number') return String(value[0]);
	if (typeof value === 'number') return String(value);
	return undefined;
}

/** Odoo datetime text (UTC, `YYYY-MM-DD HH:MM:SS`) → epoch ms, or NaN. */
export function odooDatetimeMs(value: string): number {
	return Date.parse(`${value.slice(0, 19).replace(' ', 'T')}Z`);
}

/** Epoch ms → Odoo datetime text (UTC). */
export function toOdooDatetime(ms: number): string {
	return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** Odoo UTC datetime → the calendar date in `timeZone`; a plain date passes through. */
export function odooDateInZone(value: unknown, timeZone = 'UTC'): string | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
	const ms = odooDatetimeMs(value);
	if (Number.isNaN(ms)) return undefined;
	if (timeZone === 'UTC') return value.slice(0, 10);
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
	}).formatToParts(new Date(ms));
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	return `${get('year')}-${get('month')}-${get('day')}`;
}

/** A domain typed into the node (JSON text or an expression's list) → an Odoo domain, or a clear error. */
export function parseDomainOption(value: unknown): OdooDomain | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			parsed = undefined;
		}
	}
	if (!Array.isArray(parsed))
		throw new OdooError('Domain must be a JSON list such as [["supplier_rank", ">", 0]]');
	return parsed as OdooDomain;
}
