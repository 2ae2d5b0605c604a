# Compares net::CoapMessage (dump.cpp) with tshark -T json, field by field, on
# the hand-built messages of gen.py wrapped in UDP/5683 frames (text2pcap): run
# by run.sh in a scratch folder holding ./dump, raw/ and pcap_*.pcap.
import json, subprocess, sys
names = sys.argv[1:]
ours = {}
for line in subprocess.run(['./dump'] + [f'raw/{n}' for n in names], capture_output=True, text=True, check=True).stdout.splitlines():
    o = json.loads(line); ours[o['file'][4:]] = o
UINT = {'coap.opt.observe', 'coap.opt.max_age', 'coap.opt.size1', 'coap.opt.uri_port'}
TEXT = {'coap.opt.uri_host', 'coap.opt.uri_path', 'coap.opt.uri_query', 'coap.opt.location_path',
        'coap.opt.location_query', 'coap.opt.proxy_uri', 'coap.opt.proxy_scheme'}
OPAQUE = {'coap.opt.etag', 'coap.opt.if_match', 'coap.opt.unknown'}
checked = 0; failures = []
def same(what, a, b):
    global checked
    checked += 1
    if a != b: failures.append(f'{what}: ours {a!r}, tshark {b!r}')
for n in names:
    layers = json.loads(subprocess.run(['tshark', '-r', f'pcap_{n}.pcap', '-T', 'json', '--no-duplicate-keys'],
                                       capture_output=True, text=True, check=True).stdout)[0]['_source']['layers']
    c = layers.get('coap', {}); o = ours[n]
    expert = json.dumps(layers).count('"_ws.expert.severity": "8388608"') + json.dumps(layers).count('_ws.malformed')
    if not o['ok']:
        # RFC 7252 §3: a marker without payload is a format error; other versions
        # are to be ignored. tshark decodes both without complaint.
        if n not in ('err_empty_payload', 'err_version'):
            same(f'{n}: tshark flags an error', expert > 0 or 'coap' not in layers, True)
        print(f'{n}: ours: {o["error"]}; tshark expert errors: {expert}')
        continue
    if n != 'big_delta':  # tshark warns of option numbers it does not know (269, 65804)
        same(f'{n}: no tshark error', expert, 0)
    for ours_key, ts_key in [('version', 'coap.version'), ('type', 'coap.type'), ('token_len', 'coap.token_len'),
                             ('code', 'coap.code'), ('mid', 'coap.mid')]:
        same(f'{n}.{ours_key}', str(o[ours_key]), c.get(ts_key))
    if o['token_len']: same(f'{n}.token', o['token'], c.get('coap.token'))
    trees = c.get('coap.opt.name_tree', [])
    if isinstance(trees, dict): trees = [trees]
    same(f'{n}: option count', len(o['options']), len(trees))
    for i, (mine, t) in enumerate(zip(o['options'], trees)):
        w = f'{n}.options[{i}]'
        same(f'{w}.number', mine['number'], int(t['coap.opt.desc'].split(',')[0].split()[1]))
        same(f'{w}.delta', mine['delta'], int(t['coap.opt.delta']))
        same(f'{w}.length', mine['length'], int(t['coap.opt.length']))
        if 'coap.opt.length_ext' in t:  # tshark shows the extended byte(s) as sent
            same(f'{w}.value_length', mine['value_length'] - (13 if mine['length'] == 13 else 269),
                 int(t['coap.opt.length_ext']))
        if 'coap.opt.delta_ext' in t:
            ext = int(t['coap.opt.delta_ext'])
            same(f'{w}.delta_ext', mine['number'] - (o['options'][i - 1]['number'] if i else 0),
                 ext + (13 if mine['delta'] == 13 else 269))
        keys = set(t) - {'coap.opt.desc', 'coap.opt.delta', 'coap.opt.length', 'coap.opt.delta_ext', 'coap.opt.length_ext'}
        for k in keys:
            if k in UINT: same(f'{w}.value ({k})', mine['value'], int(t[k]))
            elif k in TEXT: same(f'{w}.value ({k})', mine['value'], t[k])
            elif k in OPAQUE: same(f'{w}.value ({k})', mine['value'], t[k])
            elif k == 'coap.opt.block_number':
                same(f'{w}.block number', mine['value'] >> 4, int(t[k]))
                same(f'{w}.block more', (mine['value'] >> 3) & 1, int(t['coap.opt.block_mflag']))
                same(f'{w}.block size', mine['value'] & 7, int(t['coap.opt.block_size']))
    # With a Block option tshark shows the payload as a block: its length is block_length.
    plen = int(c.get('coap.payload_length', c.get('coap.payload_tree', {}).get('coap.payload_length',
               c.get('coap.block_length', 0))))
    same(f'{n}.payload_length', o['payload_length'], plen)
    if plen:
        udp = layers['udp']['udp.payload']
        same(f'{n}.payload', o['payload'], udp[len(udp) - (3 * plen - 1):])
print(f'{checked} comparisons, {len(failures)} differences')
for f in failures: print('  ' + f)
sys.exit(1 if failures else 0)
