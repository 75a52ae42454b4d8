/**
 * The ERPs this package speaks, by system name. A new ERP is a folder beside odoo/ and quickbooks/
 * exporting an `ErpModule`, plus one line in BUILT_IN below; tests may register more at run time.
 */
import type { ErpErrorDescription, ErpModule } from './erp';
import { odooErp } from './odoo/erp';
import { quickBooksErp } from './quickbooks/erp';

const BUILT_IN: ErpModule[] = [odooErp, quickBooksErp];

const modules = new Map<string, ErpModule>(BUILT_IN.map((m) => [m.system, m]));

/** Adds (or replaces) an ERP. */
export function registerErp(module: ErpModule): void {
	modules.set(module.system, module);
}

/** Removes an ERP registered at run time (tests). */
export function unregisterErp(system: string): void {
	if (!BUILT_IN.some((m) => m.system === system)) modules.delete(system);
}

export function erpModules(): ErpModule[] {
	return [...modules.values()];
}

export function erpModule(system: string): ErpModule {
	const module = modules.get(system);
	if (!module)
		throw new Error(`Unknown target system "${system}" (known: ${[...modules.keys()].join(', ')})`);
	return module;
}

/** The ERP an error comes from, with how to show it; undefined for errors that are no ERP's answer. */
export function describeErpError(
	error: unknown,
): (ErpErrorDescription & { system: string; label: string }) | undefined {
	for (const module of modules.values()) {
		const described = module.describeError(error);
		if (described) return { ...described, system: module.system, label: module.label };
	}
	return undefined;
}
