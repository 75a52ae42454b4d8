/**
 * Loopback proxies that put faults between n8n and a real peer on demand.
 *
 * - HttpFaultProxy (Odoo, QuickBooks): each request goes through a rule, which may let it pass,
 *   answer 500 without forwarding, stall it without forwarding (the server never sees it), forward it
 *   and then hold the answer until the client gives up (the server committed, the client never
 *   learns it), or forward it and then reset the connection.
 * - TcpFaultProxy (sshd): byte pipe that counts what the server sent on each connection and can cut
 *   every connection (as the server dying does) once a connection has carried a given number of bytes.
 */
import * as http from 'node:http';
import * as net from 'node:net';

export type HttpAction =
	| 'pass'
	/** Answers 500 without forwarding: nothing reached the server. */
	| 'error500'
	/** Forwards, lets the server commit, then answers 500 instead of its answer. */
	| 'error500AfterCommit'
	/** Never forwards and never answers: a server stalled before it did anything. */
	| 'stallBefore'
	/** Forwards, lets the server commit, never answers: the answer is lost past the client's timeout. */
	| 'loseAnswer'
	/** Forwards, lets the server commit, then resets the connection. */
	| 'resetAfterCommit'
	/** Waits until openGate() (within the client's timeout), then passes: not a fault, a chosen moment. */
	| 'gate';

export interface SeenRequest {
	index: number;
	method: string;
	path: string;
	/** Short description of the call: `model.method` for Odoo XML-RPC, else method + path. */
	call: string;
	action: HttpAction;
}

export type HttpRule = (request: {
	method: string;
	path: string;
	call: string;
	body: string;
}) => HttpAction | undefined;

/** `model.method` of an Odoo XML-RPC execute_kw call (db, uid, key, model, method…). */
export function describeCall(method: string, path: string, body: string): string {
	if (body.includes('<methodName>execute_kw</methodName>')) {
		const strings = [...body.matchAll(/<string>([^<]*)<\/string>/g)].map((m) => m[1]);
		if (strings.length >= 4) return `${strings[2]}.${strings[3]}`;
	}
	const name = body.match(/<methodName>([^<]+)<\/methodName>/)?.[1];
	if (name) return `${path} ${name}`;
	return `${method} ${path.split('?')[0]}`;
}

export interface HttpFaultProxy {
	url: string;
	port: number;
	/** Every request seen since the last reset, in order. */
	seen: SeenRequest[];
	/** The rule for the next requests (undefined: everything passes). */
	setRule(rule: HttpRule | undefined): void;
	/** Answers held by `stallBefore` / `loseAnswer` are released as connection resets. */
	releaseHeld(): void;
	/** Lets requests waiting at a `gate` go on. */
	openGate(): void;
	/** Resolves once the given number of faults were injected since the rule was set. */
	injected(count?: number, timeoutMs?: number): Promise<void>;
	stop(): Promise<void>;
}

export async function startHttpFaultProxy(target: string): Promise<HttpFaultProxy> {
	const upstream = new URL(target);
	const seen: SeenRequest[] = [];
	let rule: HttpRule | undefined;
	let faults = 0;
	const newGate = () => {
		let open = () => {};
		const promise = new Promise<void>((resolve) => (open = resolve));
		return { promise, open };
	};
	let gate = newGate();
	const held = new Set<http.ServerResponse>();
	const sockets = new Set<net.Socket>();

	const forward = (req: http.IncomingMessage, body: Buffer): Promise<http.IncomingMessage> =>
		new Promise((resolve, reject) => {
			const out = http.request(
				{
					host: upstream.hostname,
					port: upstream.port,
					method: req.method,
					path: req.url,
					headers: { ...req.headers, host: upstream.host },
				},
				resolve,
			);
			out.on('error', reject);
			out.end(body);
		});

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			void (async () => {
				const body = Buffer.concat(chunks);
				const text = body.toString('utf8');
				const method = req.method ?? 'GET';
				const path = req.url ?? '/';
				const call = describeCall(method, path, text);
				const action = rule?.({ method, path, call, body: text }) ?? 'pass';
				seen.push({ index: seen.length, method, path, call, action });
				if (action !== 'pass') faults++;
				if (action === 'gate') await gate.promise;
				if (action === 'error500') {
					res.writeHead(500, { 'content-type': 'text/plain' }).end('injected fault');
					return;
				}
				if (action === 'stallBefore') {
					held.add(res);
					res.on('close', () => held.delete(res));
					return;
				}
				try {
					const answer = await forward(req, body);
					const answerBody: Buffer[] = [];
					for await (const chunk of answer) answerBody.push(chunk as Buffer);
					if (action === 'loseAnswer') {
						held.add(res);
						res.on('close', () => held.delete(res));
						return;
					}
					if (action === 'resetAfterCommit') {
						res.socket?.destroy();
						return;
					}
					if (action === 'error500AfterCommit') {
						res.writeHead(500, { 'content-type': 'text/plain' }).end('injected fault');
						return;
					}
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					res.end(Buffer.concat(answerBody));
				} catch (error) {
					res.writeHead(502).end(String(error));
				}
			})();
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as net.AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}${upstream.pathname === '/' ? '' : upstream.pathname}`,
		port,
		seen,
		setRule(next) {
			rule = next;
			faults = 0;
		},
		openGate() {
			gate.open();
			gate = newGate();
		},
		releaseHeld() {
			for (const res of held) res.socket?.destroy();
			held.clear();
		},
		async injected(count = 1, timeoutMs = 120_000) {
			const deadline = Date.now() + timeoutMs;
			while (faults < count) {
				if (Date.now() > deadline)
					throw new Error(
						`fault not injected within ${timeoutMs} ms; calls seen: ${seen
							.slice(-30)
							.map((s) => s.call)
							.join(', ')}`,
					);
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
		},
		async stop() {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

export interface TcpFaultProxy {
	host: '127.0.0.1';
	port: number;
	/**
	 * Once a connection has carried `bytes` from the server since this call (or since it opened, if
	 * later), call `onTrip` with its upstream local port (the server sees the connection from there),
	 * then stop forwarding on that connection. One trip per arming.
	 */
	armAfterServerBytes(bytes: number, onTrip: (upstreamLocalPort: number) => void): void;
	disarm(): void;
	/** Connections opened since start. */
	connections(): number;
	/** Destroys every open connection (both sides), as a dying server does. */
	cutAll(): void;
	stop(): Promise<void>;
}

export async function startTcpFaultProxy(targetPort: number): Promise<TcpFaultProxy> {
	let trip: { bytes: number; onTrip: (port: number) => void } | undefined;
	let opened = 0;
	const pairs = new Set<[net.Socket, net.Socket]>();
	/** Server bytes per connection since the last arming. */
	const counters = new Set<{ bytes: number }>();
	const server = net.createServer((client) => {
		opened++;
		const upstream = net.connect(targetPort, '127.0.0.1');
		const pair: [net.Socket, net.Socket] = [client, upstream];
		pairs.add(pair);
		const fromServer = { bytes: 0 };
		counters.add(fromServer);
		let frozen = false;
		const end = () => {
			client.destroy();
			upstream.destroy();
			pairs.delete(pair);
			counters.delete(fromServer);
		};
		client.on('data', (chunk) => {
			if (!frozen) upstream.write(chunk);
		});
		upstream.on('data', (chunk: Buffer) => {
			if (frozen) return;
			fromServer.bytes += chunk.length;
			if (trip && fromServer.bytes >= trip.bytes) {
				const { onTrip } = trip;
				trip = undefined;
				frozen = true;
				onTrip(upstream.localPort ?? 0);
				return;
			}
			client.write(chunk);
		});
		client.on('error', end);
		upstream.on('error', end);
		client.on('close', end);
		upstream.on('close', end);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const cutAll = () => {
		for (const [a, b] of [...pairs]) {
			a.destroy();
			b.destroy();
		}
		pairs.clear();
	};
	return {
		host: '127.0.0.1',
		port: (server.address() as net.AddressInfo).port,
		armAfterServerBytes(bytes, onTrip) {
			for (const counter of counters) counter.bytes = 0;
			trip = { bytes, onTrip };
		},
		disarm() {
			trip = undefined;
		},
		connections: () => opened,
		cutAll,
		async stop() {
			cutAll();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
