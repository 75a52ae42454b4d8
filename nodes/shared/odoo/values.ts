/**
 * Values exchanged with Odoo. Plain JSON-like data plus `OdooFloat`, which carries a decimal
 * string to a float field: XML-RPC writes its digits verbatim into `<double>`, JSON writes a number
 * only at the wire (money stays a decimal string everywhere else).
 */
import { toWireNumber } from '../records/decimal';

export class OdooFloat {
	constructor(readonly decimal: string) {
		toWireNumber(decimal); // validates the text once, here, not at send time
	}

	toJSON(): number {
		return toWireNumber(this.decimal);
	}
}

export type OdooValue =
	| number
	| string
	| boolean
	| null
	| undefined
	| OdooFloat
	| OdooValue[]
	| { [key: string]: OdooValue };

export type OdooRecord = Record<string, any>;
export type OdooDomain = Array<string | [string, string, OdooValue] | OdooValue[]>;
export type OdooContext = Record<string, OdooValue>;

/** A many2one as Odoo reads it: `[id, display_name]` or `false`. */
export function many2oneId(value: unknown): number | null {
	if (Array.isArray(value) && typeof value[0] === 'number') return value[0];
	if (typeof value === 'number') return value;
	return null;
}
