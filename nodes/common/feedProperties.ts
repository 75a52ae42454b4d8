/**
 * Feed-file parameters shared by Stampli Feed Writer and Odoo Master Data's "Write Feed Directly to
 * Stampli" mode, and their translation to the plain feed options of nodes/shared/feeds.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import type { FeedFileOptions } from '../shared/feeds';
import type { TemplateOverrides } from '../shared/stampli';
import {
	templateOptionsParameter,
	templateOptionsProperty,
	templateOverridesFrom,
} from './templateOptions';

/** Properties for the file: format, name pattern, directory, the `feedOptions` collection and the template options (`template`). */
export function feedFileProperties(show?: Record<string, string[]>): INodeProperties[] {
	const displayOptions = show ? { show } : undefined;
	const properties: INodeProperties[] = [
		{
			displayName: 'Format',
			name: 'format',
			type: 'options',
			options: [
				{ name: 'CSV', value: 'csv' },
				{ name: 'XML', value: 'xml' },
			],
			default: 'csv',
			description:
				'File format; both come from the same template (columns for CSV, element paths for XML)',
		},
		{
			displayName: 'File Name Pattern',
			name: 'fileNamePattern',
			type: 'string',
			default: '{feed}_{date:YYYYMMDD}_{time:HHmmss}.{ext}',
			description:
				'Placeholders: {feed} (vendors, purchase-orders, gl-accounts), {ext} (csv or xml), {date:YYYYMMDD}, {time:HHmmss}, {timestamp} (Unix ms). Dates use the workflow time zone.',
		},
		{
			displayName: 'Target Directory',
			name: 'targetDir',
			type: 'string',
			default: '',
			placeholder: '/inbound',
			description: "Remote directory for the file. Empty = the credential's inbound directory.",
		},
		{
			displayName: 'Feed Options',
			name: 'feedOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Neutralise Formulas',
					name: 'neutraliseFormulas',
					type: 'boolean',
					default: true,
					description:
						"Whether to prefix text cells starting with = + - @, tab or CR with ' so spreadsheets show them as text (numbers are never changed). Applies to CSV; XML is written as is.",
				},
				{
					displayName: 'Write Checksum File',
					name: 'manifest',
					type: 'boolean',
					default: false,
					description:
						'Whether to upload &lt;file&gt;.sha256 (sha256sum format) after the data file',
				},
				{
					displayName: 'Write Empty Feed',
					name: 'writeEmpty',
					type: 'boolean',
					default: false,
					description:
						'Whether to upload a header-only file when there are no records; otherwise no file is written',
				},
			],
		},
		templateOptionsProperty('write'),
	];
	return displayOptions ? properties.map((p) => ({ ...p, displayOptions })) : properties;
}

export interface FeedUiSettings {
	format: 'csv' | 'xml';
	fileNamePattern: string;
	targetDir: string;
	options: Pick<FeedFileOptions, 'manifest' | 'writeEmpty' | 'neutraliseFormulas'>;
	template: TemplateOverrides;
}

/** Reads the parameters above for one item. */
export function readFeedUiSettings(
	get: (name: string, fallback: unknown) => unknown,
): FeedUiSettings {
	const feedOptions = (get('feedOptions', {}) ?? {}) as IDataObject;
	return {
		format: (get('format', 'csv') as 'csv' | 'xml') || 'csv',
		fileNamePattern: String(
			get('fileNamePattern', '') || '{feed}_{date:YYYYMMDD}_{time:HHmmss}.{ext}',
		),
		targetDir: String(get('targetDir', '') ?? '').trim(),
		options: {
			manifest: feedOptions.manifest === true,
			writeEmpty: feedOptions.writeEmpty === true,
			neutraliseFormulas:
				feedOptions.neutraliseFormulas === undefined
					? undefined
					: feedOptions.neutraliseFormulas === true,
		},
		template: templateOverridesFrom(
			'write',
			(get(templateOptionsParameter('write'), {}) ?? {}) as IDataObject,
		),
	};
}
