import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { odooClientOf } from '../../../common/connections';
import { locatorRecordId } from '../../../common/locators';
import { writeInBatches } from '../../../common/outcomes';
import { odooWriter } from '../../../shared/odoo';
import type { Payment } from '../../../shared/records/types';

/** Stampli payments → payments registered on the bills imported for their invoices. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('paymentOptions', 0, {}) as IDataObject;
	const writer = odooWriter(await odooClientOf(this));
	const journalId = locatorRecordId(options.journalId);
	const out = await writeInBatches(
		this,
		items,
		Math.max(1, Number(options.batchSize) || 1000),
		(batch) =>
			writer.registerPayments(
				batch.map((item) => item.json as unknown as Payment),
				{
					journalId,
					chatterNote: options.chatterNote as boolean | undefined,
					auditFailure: options.auditFailure === 'fail' ? 'fail' : 'warn',
					currencyPolicy: options.currencyPolicy === 'refuse' ? 'refuse' : 'convert',
				},
			),
		{ what: 'odoo.payment', stampliId: (json) => json.stampliPaymentId },
	);
	return [out];
}
