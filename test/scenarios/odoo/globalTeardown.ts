/** Stops the real Odoo servers (and their PostgreSQL) that the global setup started. */
export default async function globalTeardown(): Promise<void> {
	const servers = globalThis.stampliOdooServers ?? [];
	globalThis.stampliOdooServers = undefined;
	await Promise.all(servers.map((server) => server.stop()));
}
