/**
 * The template a feed is written with: the feed's default, adjusted by the node's overrides
 * (renames, constants, CSV settings, or a whole template as JSON). Validation and its messages
 * come from the templates module (resolveTemplate); a JSON template must be of the same feed.
 */
import { getDefaultTemplate, getTemplateById } from '../stampli/templates/defaults';
import { resolveTemplate } from '../stampli/templates/resolve';
import type { Template, TemplateOverrides } from '../stampli/templates/types';
import type { FeedKind } from './kinds';

/** `baseId` (`name@version`) names a registered template of the feed to start from instead of its default. */
export function feedTemplateFrom(
	kind: FeedKind,
	format: 'csv' | 'xml',
	overrides: TemplateOverrides = {},
	baseId?: string,
): Template {
	const base = baseId ? getTemplateById(baseId) : getDefaultTemplate(kind, format);
	if (!base || base.kind !== kind)
		throw new Error(`There is no ${kind} template "${baseId}" (see the template list in the docs)`);
	const template = resolveTemplate(base, overrides);
	if (template.kind !== kind)
		throw new Error(
			`Template "${template.name}" is a ${template.kind} template; this feed needs a ${kind} template`,
		);
	return template;
}
