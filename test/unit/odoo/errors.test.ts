import {
	OdooAccessDeniedError,
	OdooDatabaseNotFoundError,
	OdooMissingError,
	OdooRequestError,
	OdooServerError,
	OdooUserError,
	errorFromExceptionName,
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

	it("says which database was not found instead of relaying PostgreSQL's traceback", () => {
		// Odoo 17 and 19, XML-RPC and JSON-RPC, unknown database (text as the real servers send it).
		const traceback =
			'Traceback (most recent call last):\n  File "odoo/modules/registry.py", line 87, in __new__\n' +
			'psycopg2.OperationalError: connection to server on socket "/tmp/s/.s.PGSQL.5432" failed: FATAL:  database "nosuchdb" does not exist\n';
		const viaXmlRpc = errorFromXmlRpcFault(1, traceback, 'common.authenticate');
		expect(viaXmlRpc).toBeInstanceOf(OdooDatabaseNotFoundError);
		expect(viaXmlRpc).toBeInstanceOf(OdooAccessDeniedError);
		expect(viaXmlRpc.message).toBe(
			'Odoo database "nosuchdb" was not found: check the Database field of the credential',
		);
		expect(viaXmlRpc.debug).toContain('psycopg2.OperationalError');
		const viaJsonRpc = errorFromExceptionName(
			'psycopg2.OperationalError',
			'connection to server on socket "/tmp/s/.s.PGSQL.5432" failed: FATAL:  database "nosuchdb" does not exist\n',
			{ operation: 'common.authenticate' },
		);
		expect(viaJsonRpc).toBeInstanceOf(OdooDatabaseNotFoundError);
		expect(viaJsonRpc.kind).toBe('access_denied');
	});

	it("takes JSON-2's 422 argument-binding error for a malformed request, not a business error", () => {
		const error = errorFromExceptionName(
			'werkzeug.exceptions.UnprocessableEntity',
			"got an unexpected keyword argument 'bogus'",
			{ code: 422, operation: 'res.partner.create' },
		);
		expect(error).toBeInstanceOf(OdooRequestError);
		expect(error.kind).toBe('request');
		expect(error.message).toBe(
			"Odoo could not take the arguments of res.partner.create: got an unexpected keyword argument 'bogus'",
		);
		// A UserError keeps its meaning: it concerns a record.
		expect(
			errorFromExceptionName('odoo.exceptions.UserError', 'The Bill date is required', {}),
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
