/** HTTP plumbing of the emulator: bodies in, JSON or XML out, and Intuit's 401 and 429 bodies. */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { now } from './fault';

export const readBody = (req: IncomingMessage) =>
	new Promise<string>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => {
			size += c.length;
			if (size > 10 * 1024 * 1024) {
				reject(new Error('body too large'));
				req.destroy();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});

export const send = (
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
) => {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const type =
		typeof body === 'string' && text.startsWith('<')
			? 'application/xml'
			: 'application/json;charset=UTF-8';
	res.writeHead(status, {
		'Content-Type': type,
		intuit_tid: randomBytes(8).toString('hex'),
		...headers,
	});
	res.end(text);
};

export const throttleXml = () =>
	`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="${now()}"><Fault type="SERVICE"><Error code="3001" element=""><Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message><Detail>The request limit was reached.</Detail></Error></Fault></IntuitResponse>`;

/** Intuit's 401 body; the detail echoes the token as Intuit does (the client must redact it). */
export const unauthorizedBody = (detail: string) => ({
	warnings: null,
	intuitObject: null,
	fault: {
		error: [
			{
				message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
				detail,
				code: '3200',
				element: null,
			},
		],
		type: 'AUTHENTICATION',
	},
	report: null,
	queryResponse: null,
	batchItemResponse: [],
	requestId: null,
	time: Date.now(),
	status: null,
});
