/** Rows `{stampliVendorId, erpVendorId}` → mapping table; duplicates with different targets are an error. */
export function vendorTableFromRows(rows: unknown[], source: string): Map<string, string> {
	const table = new Map<string, string>();
	rows.forEach((raw, index) => {
		const row = (raw ?? {}) as { stampliVendorId?: unknown; erpVendorId?: unknown };
		const from = row.stampliVendorId;
		const to = row.erpVendorId;
		if (
			(typeof from !== 'string' && typeof from !== 'number') ||
			(typeof to !== 'string' && typeof to !== 'number') ||
			String(from) === '' ||
			String(to) === ''
		) {
			throw new Error(`${source}: row ${index + 1}: needs "stampliVendorId" and "erpVendorId"`);
		}
		const existing = table.get(String(from));
		if (existing !== undefined && existing !== String(to)) {
			throw new Error(
				`${source}: row ${index + 1}: Stampli vendor ${from} is mapped twice (${existing} and ${to})`,
			);
		}
		table.set(String(from), String(to));
	});
	return table;
}
