/**
 * QuickBooks master data → feed file → SFTP in one streaming step: the reader fetches the next
 * query page only when the previous one has been written, so memory holds one page whatever the
 * list's size. The cursor is returned beside the audit record, for the caller to commit.
 */
import type { QboClient } from '../quickbooks/client';
import {
	QBO_FEED_OF_RESOURCE,
	readQboMasterData,
	type QboMasterDataCursor,
	type QboMasterDataReadOptions,
	type QboMasterDataResource,
	type QboMasterDataStats,
} from '../quickbooks/masterData';
import type { SftpSession } from '../sftp/session';
import { FEED_NAMES, type FeedKind } from './kinds';
import { streamReaderFeed, type FeedAuditRecord, type FeedFileOptions } from './pipeline';
import { feedTemplateFrom } from './templateOptions';

/** The QuickBooks variant of each feed's template (classes and departments use their feed's default). */
export const QBO_FEED_TEMPLATE: Partial<Record<FeedKind, string>> = {
	vendorFeed: 'qbo-vendor-feed@1',
	glAccountFeed: 'qbo-gl-account-feed@1',
	purchaseOrderFeed: 'qbo-purchase-order-feed@1',
};

/** The feed of a QuickBooks resource, or an error for terms (no feed of their own). */
export function qboFeedKindOf(resource: QboMasterDataResource): FeedKind {
	const kind = (QBO_FEED_OF_RESOURCE as Partial<Record<QboMasterDataResource, FeedKind>>)[resource];
	if (!kind) throw new Error(`There is no Stampli feed for QuickBooks "${resource}"`);
	return kind;
}

export interface QuickBooksFeedOptions extends Omit<FeedFileOptions, 'template' | 'feed'> {
	read: QboMasterDataReadOptions;
	/** Defaults to the resource's QuickBooks feed template. */
	template?: FeedFileOptions['template'];
}

export interface QuickBooksFeedResult {
	audit: FeedAuditRecord;
	cursor: QboMasterDataCursor | undefined;
	read: QboMasterDataStats & { since?: string; mode: string; resource: string };
}

export async function streamQuickBooksFeed(
	client: Pick<QboClient, 'call'>,
	session: SftpSession,
	options: QuickBooksFeedOptions,
): Promise<QuickBooksFeedResult> {
	const kind = qboFeedKindOf(options.read.resource);
	const template =
		options.template ?? feedTemplateFrom(kind, options.format, {}, QBO_FEED_TEMPLATE[kind]);
	const reader = readQboMasterData(client, options.read);
	return streamReaderFeed(
		session,
		reader,
		{ ...options, template, feed: FEED_NAMES[kind] },
		options.read,
	);
}
