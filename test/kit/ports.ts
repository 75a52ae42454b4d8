/** Free loopback ports chosen at run time (several engineers and suites share one machine). */
import * as net from 'node:net';

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address
					? resolve(address.port)
					: reject(new Error('no port')),
			);
		});
	});
}

/** `count` different free ports, none of them in `avoid`. */
export async function distinctFreePorts(count: number, avoid: number[] = []): Promise<number[]> {
	const ports: number[] = [];
	for (let attempt = 0; ports.length < count && attempt < 50; attempt++) {
		const port = await freePort();
		if (!ports.includes(port) && !avoid.includes(port)) ports.push(port);
	}
	if (ports.length < count) throw new Error('could not find free ports');
	return ports;
}
