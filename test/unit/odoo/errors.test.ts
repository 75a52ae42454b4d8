import {
	OdooAccessDeniedError,
	OdooMissingError,
	OdooServerError,
	OdooUserError,
	errorFromXmlRpcFault,
	redact,
	registerSecret,
} from '../../../nodes/shared/odoo/errors';

describe('Odoo errors', () => {
	it('maps XML-RPC fault codes to typed errors', () => {
		expect(errorFromXmlRpcFault(3, 'Access Denied')).toBeInstanceOf(OdooAccessDeniedError);
		expect(
			errorFromXmlRpcFault(
				2,
				'Record does not exist or has been deleted.\n(Record: res.partner(9,), User: 2)',
			),
		).toBeInstanceOf(OdooMissingError);
		expect(
			errorFromXmlRpcFault(2, 'You cannot do this modification on a reconciled journal entry.'),
		).toBeInstanceOf(OdooUserError);
		const server = errorFromXmlRpcFault(
			1,
			'Traceback (most recent call last):\n  File "x"\nValueError: Wrong value\n',
		);
		expect(server).toBeInstanceOf(OdooServerError);
		expect(server.message).toBe('ValueError: Wrong value');
		expect(server.debug).toContain('Traceback');
		expect(errorFromXmlRpcFault('AccessDenied', 'Access Denied')).toBeInstanceOf(
			OdooAccessDeniedError,
		);
		expect(
			errorFromXmlRpcFault("warning -- UserError\n\nObject x doesn't exist", ''),
		).toBeInstanceOf(OdooUserError);
	});

	it('never lets a registered secret or a bearer token through', () => {
		registerSecret('s3cr3t-api-key');
		const error = errorFromXmlRpcFault(1, 'Traceback\nValueError: bad key s3cr3t-api-key');
		expect(JSON.stringify(error)).not.toContain('s3cr3t-api-key');
		expect(error.stack).not.toContain('s3cr3t-api-key');
		expect(redact('Authorization: bearer abcdef123456')).toBe('Authorization: bearer ***');
	});
});
