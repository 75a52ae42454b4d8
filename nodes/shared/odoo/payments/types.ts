import type { ErpOutcome } from '../../erp';
import type { AuditFailurePolicy } from '../bills/types';
import type { PaymentCurrencyPolicy } from './plan';

export interface PaymentRegisterOptions {
	/** Bank or cash journal to pay from; Odoo's default when absent. */
	journalId?: number;
	/** Write a chatter note on the bill (default true). */
	chatterNote?: boolean;
	/** A chatter note Odoo refused: `warn` (default) says so on the item, `fail` fails it. */
	auditFailure?: AuditFailurePolicy;
	/** A payment in another currency than its bill: Odoo converts it at its rate (`convert`, default) or it is refused. */
	currencyPolicy?: PaymentCurrencyPolicy;
}

export type PaymentOutcome = ErpOutcome;
