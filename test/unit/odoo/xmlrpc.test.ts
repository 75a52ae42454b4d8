import { OdooFloat } from '../../../nodes/shared/odoo/values';
import {
	XmlRpcFault,
	XmlRpcParseError,
	decodeMethodCall,
	decodeMethodResponse,
	encodeFault,
	encodeMethodCall,
	encodeMethodResponse,
} from '../../../nodes/shared/odoo/xmlrpc';

describe('XML-RPC codec', () => {
	it('round-trips Odoo values, writing undefined and null as False (no allow_none)', () => {
		const xml = encodeMethodCall('execute_kw', [
			'db',
			2,
			'k',
			'res.partner',
			'create',
			[
				[
					{
						name: 'A & B <c>',
						vat: undefined,
						ref: null,
						n: 3,
						big: 2 ** 40,
						f: 1.5,
						ok: true,
						lines: [[0, 0, { price_unit: new OdooFloat('10.05') }]],
					},
				],
			],
			{},
		]);
		expect(xml).not.toContain('<nil');
		expect(xml).toContain('<double>10.05</double>');
		const { method, params } = decodeMethodCall(xml);
		expect(method).toBe('execute_kw');
		expect(params[5]).toEqual([
			[
				{
					name: 'A & B <c>',
					ref: false,
					n: 3,
					big: 2 ** 40,
					f: 1.5,
					ok: true,
					lines: [[0, 0, { price_unit: 10.05 }]],
				},
			],
		]);
	});

	it("decodes what Python's xmlrpc.client writes, including untyped strings and whitespace", () => {
		const xml = `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n<value><struct>\n<member>\n<name>id</name>\n<value><int>7</int></value>\n</member>\n<member>\n<name>name</name>\n<value>  Deco &amp; Co </value>\n</member>\n<member>\n<name>vat</name>\n<value><boolean>0</boolean></value>\n</member>\n<member>\n<name>amount</name>\n<value><double>100.01</double></value>\n</member>\n<member>\n<name>empty</name>\n<value><string></string></value>\n</member>\n</struct></value>\n</data></array></value>\n</param>\n</params>\n</methodResponse>\n`;
		expect(decodeMethodResponse(xml)).toEqual([
			{ id: 7, name: '  Deco & Co ', vat: false, amount: 100.01, empty: '' },
		]);
	});

	it('decodes nested arrays and structs, empty and self-closed values, and refuses broken structure', () => {
		const xml =
			'<methodResponse><params><param><value><array><data><value><array><data><value><i4>1</i4></value><value/></data></array></value><value><struct><member><name>n</name><value><nil/></value></member><member><name>deep</name><value><struct><member><name>x</name><value><array><data/></array></value></member></struct></value></member></struct></value></data></array></value></param></params></methodResponse>';
		expect(decodeMethodResponse(xml)).toEqual([[1, ''], { n: null, deep: { x: [] } }]);
		expect(() =>
			decodeMethodResponse(
				'<methodResponse><params><param><value><struct><member><value><int>1</int></value></member></struct></value></param></params></methodResponse>',
			),
		).toThrow(/no <name>/);
		expect(() =>
			decodeMethodResponse(
				'<methodResponse><params><param><value><int>1</int><string>x</string></value></param></params></methodResponse>',
			),
		).toThrow(/two types/);
		expect(() =>
			decodeMethodResponse('<methodResponse><params></params></methodResponse>'),
		).toThrow(/no <param>/);
	});

	it('turns a fault into XmlRpcFault', () => {
		expect(() => decodeMethodResponse(encodeFault(3, 'Access Denied'))).toThrow(XmlRpcFault);
		try {
			decodeMethodResponse(encodeFault(2, 'Record does not exist'));
		} catch (error) {
			expect(error).toMatchObject({ faultCode: 2, faultString: 'Record does not exist' });
		}
	});

	it('refuses DTDs and entity declarations instead of expanding them', () => {
		const bomb =
			'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><methodResponse><params><param><value>&lol;</value></param></params></methodResponse>';
		expect(() => decodeMethodResponse(bomb)).toThrow(XmlRpcParseError);
		expect(() =>
			decodeMethodResponse(
				'<methodResponse><params><param><value>&lol;</value></param></params></methodResponse>',
			),
		).toThrow(/unknown entity/);
	});

	it('refuses malformed markup', () => {
		expect(() =>
			decodeMethodResponse(
				'<methodResponse><params><param><value><int>1</value></param></params></methodResponse>',
			),
		).toThrow(XmlRpcParseError);
		expect(() => decodeMethodResponse('<html>502 Bad Gateway')).toThrow(XmlRpcParseError);
		expect(() =>
			decodeMethodResponse(
				encodeMethodResponse({ a: [1, 'x'] }).replace('<int>1</int>', '<int>1.5</int>'),
			),
		).toThrow(/bad integer/);
	});
});
