"""A small DNS message reader for the raw-query part of compare.py.

dig parses what both servers answer to well-formed queries; the malformed
queries compare.py sends raw need their replies read here. Only as much as the
comparison needs: the header, the question section's bytes, and every record
with the names in its rdata decompressed, so that two servers' replies compare
as sets whatever compression each one chose.
"""

import struct

# Types whose rdata holds names that may be compressed (RFC 3597 §4).
_NAME_RDATA = {2: "name", 5: "name", 12: "name", 15: "mx", 33: "srv", 6: "soa"}
OPT = 41


class Malformed(Exception):
    pass


def read_name(message, offset):
    """(lower-case dotted name, offset after the name in place)."""
    labels = []
    end = None
    hops = 0
    while True:
        if offset >= len(message):
            raise Malformed(f"name runs past the end at {offset}")
        length = message[offset]
        if length & 0xC0 == 0xC0:
            if offset + 1 >= len(message):
                raise Malformed("truncated compression pointer")
            if end is None:
                end = offset + 2
            target = ((length & 0x3F) << 8) | message[offset + 1]
            hops += 1
            if hops > 127 or target >= offset:
                raise Malformed(f"bad compression pointer at {offset}")
            offset = target
            continue
        if length & 0xC0:
            raise Malformed(f"bad label type at {offset}")
        offset += 1
        if length == 0:
            break
        labels.append(message[offset:offset + length].decode("latin-1").lower())
        offset += length
    return ".".join(labels) + ".", (end if end is not None else offset)


def _rdata(message, rtype, start, length):
    end = start + length
    kind = _NAME_RDATA.get(rtype)
    try:
        if kind == "name":
            return read_name(message, start)[0]
        if kind == "mx":
            return (struct.unpack_from("!H", message, start)[0], read_name(message, start + 2)[0])
        if kind == "srv":
            return struct.unpack_from("!HHH", message, start) + (read_name(message, start + 6)[0],)
        if kind == "soa":
            mname, after = read_name(message, start)
            rname, after = read_name(message, after)
            return (mname, rname, message[after:end].hex())
    except (Malformed, struct.error):
        pass
    return message[start:end].hex()


def parse(message):
    """A dict describing `message`, or {'malformed': reason} when it does not parse."""
    if len(message) < 12:
        return {"malformed": f"{len(message)} bytes, shorter than a header"}
    qid, flags, qd, an, ns, ar = struct.unpack_from("!HHHHHH", message)
    reply = {
        "id": qid,
        "qr": flags >> 15, "opcode": (flags >> 11) & 0xF, "aa": (flags >> 10) & 1,
        "tc": (flags >> 9) & 1, "rd": (flags >> 8) & 1, "ra": (flags >> 7) & 1,
        "ad": (flags >> 5) & 1, "cd": (flags >> 4) & 1, "rcode": flags & 0xF,
        "counts": (qd, an, ns, ar),
    }
    try:
        offset = 12
        for _ in range(qd):
            offset = read_name(message, offset)[1] + 4
        if offset > len(message):
            raise Malformed("question runs past the end")
        # The question is echoed as sent: compared byte for byte.
        reply["question"] = message[12:offset].hex()
        for section, count in (("answer", an), ("authority", ns), ("additional", ar)):
            records = []
            for _ in range(count):
                name, offset = read_name(message, offset)
                if offset + 10 > len(message):
                    raise Malformed("record header runs past the end")
                rtype, rclass, ttl, rdlength = struct.unpack_from("!HHIH", message, offset)
                offset += 10
                if offset + rdlength > len(message):
                    raise Malformed("rdata runs past the end")
                if rtype == OPT:
                    # Payload size, extended rcode/version/flags, options.
                    records.append(("OPT", name, rclass, ttl,
                                    message[offset:offset + rdlength].hex()))
                else:
                    records.append((name, rtype, rclass, ttl,
                                    _rdata(message, rtype, offset, rdlength)))
                offset += rdlength
            reply[section] = sorted(records, key=repr)
        if offset != len(message):
            reply["trailing"] = len(message) - offset
    except Malformed as e:
        reply["malformed"] = str(e)
    return reply
