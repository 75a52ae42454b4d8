/**
 * Node subtitles (the line under a node's name on the canvas) that show the chosen options' labels,
 * as the parameter panel shows them, rather than their stored values.
 */
import type { INodeProperties } from 'n8n-workflow';

/**
 * An expression fragment giving the label of the option chosen in `name`: from `labels` when given,
 * else from the options of the property of that name. An unknown value (an expression) shows as is.
 */
export function optionLabel(
	name: string,
	source: INodeProperties[] | Record<string, string>,
): string {
	const labels = Array.isArray(source)
		? Object.fromEntries(
				(source.find((property) => property.name === name)?.options ?? [])
					.filter((option) => 'value' in option)
					.map((option) => [String((option as { value: unknown }).value), option.name]),
			)
		: source;
	if (Object.keys(labels).length === 0) throw new Error(`No option labels for "${name}"`);
	return `(${JSON.stringify(labels)}[$parameter["${name}"]] || $parameter["${name}"])`;
}

/** A subtitle joining expression fragments with " · ". */
export function subtitleOf(...parts: string[]): string {
	return `={{ ${parts.join(' + " · " + ')} }}`;
}
