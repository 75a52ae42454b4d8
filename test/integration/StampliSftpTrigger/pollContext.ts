/**
 * n8n's PollContext for the Stampli SFTP Trigger's poll() against a real sshd (test/kit's stand-in
 * plus the trigger's needs): each emission carries a done promise (as n8n's __emit accepts), the test
 * settles it with a run the way n8n's ActiveExecutions does, and static data persists across polls
 * like n8n's workflow object (or is reloaded from a saved copy, as after a restart).
 */
import { createDeferredPromise, type IDeferredPromise } from '@n8n/utils/promise/deferred-promise';
import type { IDataObject, INodeExecutionData, IPollFunctions, IRun } from 'n8n-workflow';
import type { SshdFixture } from '../../fixtures/sshd';
import { pollContext } from '../../kit/n8nContext';
import { sftpConfigFromCredential, type SftpConfig } from '../../../nodes/shared/sftp';

export const HEADER =
	'InvoiceId,InvoiceNumber,DocumentType,VendorId,VendorName,InvoiceDate,Currency,Total,TaxTotal,LineNumber,LineDescription,Quantity,UnitPrice,LineAmount,GLAccount,Department';

/** One one-line invoice as a CSV row (CRLF-terminated). */
export const invoiceRow = (id: string, amount: string) =>
	`${id},INV-${id},bill,V-1,Acme,2026-11-02,USD,${amount},0.00,1,Item,1,${amount},${amount},6100,Ops\r\n`;

export const invoiceCsv = (id: string, amount: string) => `${HEADER}\r\n${invoiceRow(id, amount)}`;

/** A file of `count` one-line invoices. */
export const invoicesCsv = (prefix: string, count: number) =>
	HEADER +
	'\r\n' +
	Array.from({ length: count }, (_, i) => invoiceRow(`${prefix}-${i + 1}`, '10.00')).join('');

export interface Emission {
	items: INodeExecutionData[];
	done?: IDeferredPromise<IRun | undefined>;
}

export function run(
	status: 'success' | 'error' | 'waiting' | 'crashed',
	message?: string,
	waitTill?: Date,
): IRun {
	return {
		status,
		mode: 'trigger',
		startedAt: new Date(),
		storedAt: 'db',
		...(waitTill ? { waitTill } : {}),
		data: {
			resultData: {
				runData: {},
				...(message ? { error: { message, node: { name: 'Odoo Bills' } } } : {}),
			},
		},
	} as unknown as IRun;
}

/** The shared stand-in for n8n's poll context, with what the trigger needs on top. */
export function fakePollFunctions(
	f: SshdFixture,
	workflowId: string,
	params: IDataObject,
	staticData: IDataObject,
	emissions: Emission[],
	budgetMs = 1500,
): IPollFunctions {
	const ctx = pollContext(
		{
			type: 'n8n-nodes-stampli.stampliSftpTrigger',
			name: 'Stampli SFTP Trigger',
			parameters: params,
			staticData,
			credentials: { stampliSftpApi: sftpCredential(f) },
		},
		{
			getWorkflow: () => ({ id: workflowId, name: 'test', active: true }),
			// A small budget bounds how long a poll waits for runs still going.
			getPollBudgetMs: () => budgetMs,
			__emit: (
				data: INodeExecutionData[][],
				_response?: unknown,
				done?: IDeferredPromise<IRun | undefined>,
			) => {
				emissions.push({ items: data[0], done });
			},
		},
	);
	// n8n hands every emission a done promise made by this helper.
	(ctx.helpers as unknown as Record<string, unknown>).createDeferredPromise = createDeferredPromise;
	return ctx;
}

/** A session configuration for the sshd fixture (as the credential gives it). */
export const sftpConfigOf = (f: SshdFixture): SftpConfig =>
	sftpConfigFromCredential(sftpCredential(f));

/** The Stampli SFTP credential for the sshd fixture. */
export function sftpCredential(f: SshdFixture): Record<string, unknown> {
	return {
		host: f.host,
		port: f.port,
		username: f.username,
		password: f.password,
		hostKeySha256: f.hostKeySha256,
		outboundDir: f.outboundDir,
		inboundDir: f.inboundDir,
	};
}

/** Settles every emission's run as it is emitted (a run that finishes at once). */
export function autoSettle(ctx: IPollFunctions, outcome: (index: number) => IRun): IPollFunctions {
	const original = ctx.__emit.bind(ctx);
	let count = 0;
	ctx.__emit = (data, response, done) => {
		const index = count++;
		original(data, response, done);
		if (done) setImmediate(() => done.resolve(outcome(index)));
	};
	return ctx;
}
