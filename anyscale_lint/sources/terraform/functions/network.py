"""Network functions: cidrsubnet, cidrsubnets, cidrhost, cidrnetmask."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from anyscale_lint.sources.terraform.evaluation import EvalError
from anyscale_lint.sources.terraform.functions.base import as_int, as_text, function


def _network(prefix: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    text = as_text(prefix)
    address, slash, length = text.partition("/")
    if not slash:
        raise EvalError(f"invalid CIDR {text!r}: no prefix length")
    if ":" not in address and re.fullmatch(r"\d+(?:\.\d+){3}", address):
        # Terraform reads IPv4 octets with leading zeros as decimal (a documented accident).
        address = ".".join(str(int(octet)) for octet in address.split("."))
    try:
        return ipaddress.ip_network(f"{address}/{length}", strict=False)
    except ValueError as error:
        raise EvalError(f"invalid CIDR {text!r}: {error}") from None


def _address(network: ipaddress.IPv4Network | ipaddress.IPv6Network, number: int) -> str:
    address = int(network.network_address) + number
    return str(
        ipaddress.IPv4Address(address) if network.version == 4 else ipaddress.IPv6Address(address)
    )


@function("cidrsubnet")
def _cidrsubnet(ev: Any, prefix: Any, newbits: Any, netnum: Any) -> Any:
    network = _network(prefix)
    bits, number = as_int(newbits), as_int(netnum)
    new_prefix = network.prefixlen + bits
    if bits < 0 or new_prefix > network.max_prefixlen or not 0 <= number < 2**bits:
        raise EvalError(f"cannot make subnet {number} of {bits} extra bits in {network}")
    size = 2 ** (network.max_prefixlen - new_prefix)
    return f"{_address(network, number * size)}/{new_prefix}"


@function("cidrsubnets")
def _cidrsubnets(ev: Any, prefix: Any, *newbits: Any) -> Any:
    network = _network(prefix)
    results = []
    cursor = 0
    for bits in map(as_int, newbits):
        new_prefix = network.prefixlen + bits
        if bits < 1 or new_prefix > network.max_prefixlen:
            raise EvalError(f"cannot extend {network} by {bits} bits")
        size = 2 ** (network.max_prefixlen - new_prefix)
        cursor = (cursor + size - 1) // size * size
        if cursor + size > network.num_addresses:
            raise EvalError(f"not enough space in {network}")
        results.append(f"{_address(network, cursor)}/{new_prefix}")
        cursor += size
    return results


@function("cidrhost")
def _cidrhost(ev: Any, prefix: Any, hostnum: Any) -> Any:
    network = _network(prefix)
    number = as_int(hostnum)
    if number < 0:
        number += network.num_addresses
    if not 0 <= number < network.num_addresses:
        raise EvalError(f"host {hostnum} is outside {network}")
    return _address(network, number)


@function("cidrnetmask")
def _cidrnetmask(ev: Any, prefix: Any) -> Any:
    network = _network(prefix)
    if network.version != 4:
        raise EvalError("cidrnetmask() only accepts IPv4 prefixes")
    return str(network.netmask)
