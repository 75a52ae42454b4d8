import { parseQboError, redactSecrets } from '../../../nodes/shared/quickbooks';

describe('error parsing', () => {
	test('JSON Fault', () => {
		const e = parseQboError(
			400,
			{ intuit_tid: 'tid-1' },
			{
				Fault: {
					Error: [
						{
							Message: 'Stale Object Error',
							Detail: 'Stale Object Error : You and x were working…',
							code: '5010',
							element: '',
						},
					],
					type: 'ValidationFault',
				},
			},
		);
		expect(e.code).toBe('5010');
		expect(e.faultType).toBe('ValidationFault');
		expect(e.intuitTid).toBe('tid-1');
		expect(e.message).toMatch(/QuickBooks error 5010: Stale Object Error/);
	});

	test('lower-case 401 fault with the token echoed is redacted', () => {
		const token =
			'eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..abcdefghijklmnop.qrstuvwxyz0123456789';
		const e = parseQboError(
			401,
			{},
			JSON.stringify({
				fault: {
					error: [
						{
							message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
							detail: `Token expired: ${token}`,
							code: '3200',
						},
					],
					type: 'AUTHENTICATION',
				},
			}),
		);
		expect(e.code).toBe('3200');
		expect(e.message).not.toContain(token.slice(0, 20));
		expect(JSON.stringify(e.errors)).not.toContain(token.slice(0, 20));
	});

	test('XML ThrottleExceeded body', () => {
		const xml =
			'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="2026-01-01T00:00:00Z"><Fault type="SERVICE"><Error code="3001" element=""><Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message><Detail>The request limit was reached.</Detail></Error></Fault></IntuitResponse>';
		const e = parseQboError(429, {}, xml);
		expect(e).toMatchObject({ status: 429, faultType: 'SERVICE' });
		expect(e.code).toBe('3001');
		expect(e.errors[0].message).toContain('ThrottleExceeded');
	});

	test('redacts bearer and refresh tokens', () => {
		expect(redactSecrets('Authorization: Bearer abc.def-123456')).toBe(
			'Authorization: Bearer [redacted]',
		);
		expect(redactSecrets('refresh_token=RT1-12345678abcdef')).not.toContain('RT1-12345678abcdef');
	});
});
