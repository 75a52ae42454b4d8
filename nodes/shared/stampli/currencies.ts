/**
 * ISO 4217 currency codes and the decimals of their minor unit, to tell an amount finer than its
 * currency can be paid in (`12.345` USD, `100.5` JPY) from a plain typo-free amount.
 */

/** Active codes with two decimals (the usual case). */
const TWO =
	'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD ' +
	'CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL ' +
	'GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD ' +
	'LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN ' +
	'PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL ' +
	'THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ZWL';
const ZERO = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const THREE = 'BHD IQD JOD KWD LYD OMR TND';
const FOUR = 'CLF UYW';

const MINOR_UNITS = new Map<string, number>();
for (const [codes, digits] of [
	[TWO, 2],
	[ZERO, 0],
	[THREE, 3],
	[FOUR, 4],
] as const)
	for (const code of codes.split(' ')) MINOR_UNITS.set(code, digits);

/** Decimals of the currency's minor unit, or undefined for a code that is not an active ISO 4217 currency. */
export function minorUnitDigits(currency: string): number | undefined {
	return MINOR_UNITS.get(currency) ?? MINOR_UNITS.get(currency.toUpperCase());
}
