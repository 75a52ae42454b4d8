/**
 * The template a feed is written with: the feed's default, adjusted by the node's overrides
 * (renames, constants, CSV settings, or a whole template as JSON). Validation and its messages
 * come from the templates module (resolveTemplate); a JSON template must be of the same feed.
 */
import { getDefaultTemplate } from '../stampli/templates/defaults';
import { resolveTemplate } from '../stampli/templates/resolve';
import type { Template, TemplateOverrides } from '../stampli/templates/types';
import type { FeedKind } from './kinds';

export function feedTemplateFrom(
	kind: FeedKind,
	format: 'csv' | 'xml',
	overrides: TemplateOverrides = {},
): Template {
	const template = resolveTemplate(getDefaultTemplate(kind, format), overrides);
	if (template.kind !== kind)
		throw new Error(
			`Template "${template.name}" is a ${template.kind} template; this feed needs a ${kind} template`,
		);
	return template;
}
