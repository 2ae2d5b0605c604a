# Hand-built CoAP messages (RFC 7252 §3), written to raw/<name> and as text2pcap
# hex dumps raw/<name>.hex; prints the names (run.sh).
import sys, os
def opt(prev, number, value):
    delta = number - prev
    def nib(v):
        if v < 13: return v, b''
        if v < 269: return 13, bytes([v - 13])
        return 14, (v - 269).to_bytes(2, 'big')
    dn, dx = nib(delta); ln, lx = nib(len(value))
    return bytes([dn << 4 | ln]) + dx + lx + value
def msg(t, code, mid, token, options, payload=b'', version=1, tkl=None):
    head = bytes([version << 6 | t << 4 | (len(token) if tkl is None else tkl), code]) + mid.to_bytes(2, 'big') + token
    body = b''; prev = 0
    for number, value in options:
        body += opt(prev, number, value); prev = number
    if payload: body += b'\xff' + payload
    return head + body
msgs = {
 'get': msg(0, 1, 0x1234, b'\xde\xad\xbe\xef', [(3, b'example.org'), (11, b'sensors'), (11, b'temp'), (12, b''), (17, b'\x32')], b'hello'),
 'ext13': msg(1, 2, 7, b'', [(35, b'coap://proxy.example/a'), (60, b'\x04\x00')], b'{"v":1}'),
 'ext14': msg(0, 3, 65535, b'\x01', [(35, b'p' * 300), (2049, b'\x01\x02\x03')], b'x'),
 'repeat': msg(0, 1, 9, b'\xaa\xbb', [(1, b'\x01'), (1, b''), (4, b'\x11\x22'), (4, b'\x33'), (6, b'\x01\x02\x03'), (11, b'a'), (11, b'b'), (11, b'c'), (15, b'q=1'), (15, b'r=2')]),
 'ack': msg(2, 69, 9, b'\xaa\xbb', [(6, b'\x05'), (12, b'\x32'), (14, b'\x00\x00\x0e\x10'), (23, b'\x16'), (28, b'\x01\x00')], b'22.5 C'),
 'empty': msg(2, 0, 42, b'', []),
 'big_delta': msg(1, 1, 1, b'', [(269, b'\x07'), (65804, b'')]),
 # errors
 'err_tkl': msg(0, 1, 1, b'', [], tkl=9),
 'err_empty_payload': msg(0, 1, 1, b'', [(11, b'a')]) + b'\xff',
 'err_reserved_delta': msg(0, 1, 1, b'', []) + b'\xf0',
 'err_reserved_length': msg(0, 1, 1, b'', []) + b'\x1f',
 'err_version': msg(0, 1, 1, b'', [], version=2),
 'err_truncated': msg(0, 1, 1, b'', []) + b'\xb5ab',
}
os.makedirs('raw', exist_ok=True)
for name, m in msgs.items():
    open(f'raw/{name}', 'wb').write(m)
    with open(f'raw/{name}.hex', 'w') as f:
        for i in range(0, len(m), 16):
            f.write('%06x ' % i + ' '.join('%02x' % b for b in m[i:i+16]) + '\n')
print(' '.join(msgs))
