/**
 * The link between a Stampli vendor and the QuickBooks Vendor it became. QuickBooks has no
 * external-id field on a Vendor that its API can set (custom fields are not available on vendors),
 * and `AcctNum` is printed on the memo of every check, so the Stampli vendor id is kept as one line
 * of the vendor's `Notes` (free text, internal, at most 2,000 characters):
 *
 *     Stampli vendor id: V-100
 *
 * The vendor sync writes it when it creates the vendor, and adds it to a vendor it matched by name
 * (the user's own notes are kept); the master-data feed reads it back, so the vendor reaches Stampli
 * with its Stampli id beside its QuickBooks Id and is never taken for a new vendor.
 */

const PREFIX = 'Stampli vendor id: ';
const LINK_LINE = /^Stampli vendor id: *(\S.*?)\s*$/m;
/** Vendor.Notes holds at most 2,000 characters. */
export const MAX_VENDOR_NOTES = 2000;

/** The Stampli vendor id a QuickBooks vendor's Notes carry, if any. */
export function stampliVendorIdOf(notes: unknown): string | undefined {
	if (typeof notes !== 'string') return undefined;
	return LINK_LINE.exec(notes)?.[1];
}

/** The line that links a vendor to a Stampli vendor id (ids with a line break are not linked). */
export function vendorLinkLine(stampliVendorId: string): string | undefined {
	const id = stampliVendorId.trim();
	return id && !/[\r\n]/.test(id) ? `${PREFIX}${id}` : undefined;
}

/**
 * The Notes a vendor should have to carry the link: undefined when nothing is to change — already
 * linked (to this or, first link wins, another Stampli vendor), no usable id, or no room left.
 */
export function linkedNotes(
	current: unknown,
	stampliVendorId: string | undefined,
): string | undefined {
	if (!stampliVendorId || stampliVendorIdOf(current) !== undefined) return undefined;
	const line = vendorLinkLine(stampliVendorId);
	if (!line) return undefined;
	const notes =
		typeof current === 'string' && current.trim() !== '' ? `${current.trimEnd()}\n${line}` : line;
	return notes.length <= MAX_VENDOR_NOTES ? notes : undefined;
}
