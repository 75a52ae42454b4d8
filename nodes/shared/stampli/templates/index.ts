export * from './types';
export { getDefaultTemplate, listTemplates, getTemplateById, templatesOfKind } from './defaults';
export type { TemplateListing } from './defaults';
export { resolveTemplate, validateTemplate, TemplateError, REQUIRED_PATHS } from './resolve';
export {
	compileDateFormat,
	formatDate,
	formatDecimal,
	readDecimal,
	readBoolean,
	parseInstant,
} from './formats';
export type { CompiledDateFormat, DecimalSettings } from './formats';
