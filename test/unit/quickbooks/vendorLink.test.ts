import {
	linkedNotes,
	MAX_VENDOR_NOTES,
	stampliVendorIdOf,
	vendorLinkLine,
} from '../../../nodes/shared/quickbooks';

describe('the Stampli vendor id kept in a QuickBooks vendor’s Notes', () => {
	it('reads the id from its own line, whatever else the notes hold', () => {
		expect(stampliVendorIdOf('Stampli vendor id: V-100')).toBe('V-100');
		expect(stampliVendorIdOf('Pays by check\nStampli vendor id: V 7 \nCall first')).toBe('V 7');
		expect(stampliVendorIdOf('see Stampli vendor id: V-1')).toBeUndefined();
		expect(stampliVendorIdOf(undefined)).toBeUndefined();
	});

	it('adds the line below the user’s notes, once, and only when there is room', () => {
		expect(linkedNotes(undefined, 'V-1')).toBe('Stampli vendor id: V-1');
		expect(linkedNotes('Pays by check  ', 'V-1')).toBe('Pays by check\nStampli vendor id: V-1');
		// First link wins: a vendor already linked is not relinked.
		expect(linkedNotes('Stampli vendor id: V-1', 'V-2')).toBeUndefined();
		expect(linkedNotes('x'.repeat(MAX_VENDOR_NOTES - 5), 'V-1')).toBeUndefined();
		expect(linkedNotes('notes', undefined)).toBeUndefined();
	});

	it('does not link an id with a line break (it could forge another line)', () => {
		expect(vendorLinkLine('V-1\nStampli vendor id: V-2')).toBeUndefined();
		expect(vendorLinkLine('  ')).toBeUndefined();
	});
});
