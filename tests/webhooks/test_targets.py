"""The address policy and the URL check a webhook's target must pass."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address

import pytest

from app.webhooks.targets import MAX_URL_LENGTH, check_target_url, is_forbidden_address

FORBIDDEN = [
    # (address, the word its reason must contain)
    ("127.0.0.1", "loopback"),
    ("127.255.0.9", "loopback"),
    ("::1", "loopback"),
    ("10.0.0.5", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.255", "private"),
    ("192.168.1.1", "private"),
    ("fc00::1", "private"),
    ("fd12:3456::1", "private"),
    ("169.254.169.254", "metadata"),
    ("169.254.0.1", "link-local"),
    ("fe80::1", "link-local"),
    ("fe80::1%eth0", "link-local"),
    ("0.0.0.0", "unspecified"),
    ("::", "unspecified"),
    ("0.1.2.3", "0.0.0.0/8"),
    ("224.0.0.1", "multicast"),
    ("239.255.255.250", "multicast"),
    ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.254", "carrier-grade NAT"),
    ("192.0.2.10", "not globally reachable"),  # documentation
    ("198.18.0.1", "not globally reachable"),  # benchmarking
    ("fec0::1", "site-local"),
    # IPv6 addresses that carry a forbidden IPv4 address are judged by it.
    ("::ffff:127.0.0.1", "loopback"),
    ("::ffff:10.0.0.5", "private"),
    ("::ffff:169.254.169.254", "metadata"),
    ("::ffff:100.64.0.1", "carrier-grade NAT"),
    ("::ffff:0.0.0.0", "unspecified"),
    ("64:ff9b::a00:5", "private"),  # NAT64 of 10.0.0.5
    ("2002:a00:5::1", "private"),  # 6to4 of 10.0.0.5
]


@pytest.mark.parametrize(("address", "word"), FORBIDDEN)
def test_forbidden_addresses_say_why(address: str, word: str) -> None:
    reason = is_forbidden_address(address)
    assert reason is not None and word in reason


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "1.1.1.1", "93.184.215.14", "100.128.0.1", "172.32.0.1", "100.63.255.255",
     "2606:4700:4700::1111", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808"],
)  # fmt: skip
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_forbidden_address(address) is None


def test_accepts_address_objects() -> None:
    assert is_forbidden_address(IPv4Address("10.1.2.3")) == "private"
    assert is_forbidden_address(IPv6Address("2606:4700::1")) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com/claimdesk",
        "http://hooks.example.com:8080/in?token=abc&x=1",
        "https://[2606:4700::1]:8443/hook",
        "http://127.0.0.1:9000/",  # the address is judged at delivery, not here
        "https://xn--bcher-kva.example/",
        "HTTPS://Hooks.Example.COM/",
    ],
)
def test_valid_urls_come_back_unchanged(url: str) -> None:
    assert check_target_url(url) == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://hooks.example.com/", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("hooks.example.com/path", "http:// or https://"),
        ("//hooks.example.com/path", "http:// or https://"),
        ("/relative/path", "http:// or https://"),
        ("http:///no-host", "http:// or https://"),
        ("http://:8080/", "must name a host"),
        ("http://exa%2fmple.com/", "must name a host"),
        ("https://user:secret@hooks.example.com/", "user name or password"),
        ("https://user@hooks.example.com/", "user name or password"),
        ("https://hooks.example.com/#part", "fragment"),
        ("https://hooks.example.com/#", "fragment"),
        ("https://hooks.example.com:0/", "port"),
        ("https://hooks.example.com:65536/", "port"),
        ("https://hooks.example.com:http/", "port"),
        ("https://[not-an-ip]/", "malformed"),
        ("https://hooks.example.com/a b", "spaces or control characters"),
        ("https://hooks.example.com/\tx", "spaces or control characters"),
        ("https://hooks.exam\nple.com/", "spaces or control characters"),
        ("https://bücher.example/", "ASCII"),
        ("https://hooks.example.com/" + "a" * MAX_URL_LENGTH, "longer than 2000"),
    ],
)
def test_invalid_urls_are_refused_with_the_reason(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_target_url(url)


def test_url_of_exactly_the_maximum_length_is_accepted() -> None:
    base = "https://hooks.example.com/"
    url = base + "a" * (MAX_URL_LENGTH - len(base))
    assert len(url) == MAX_URL_LENGTH and check_target_url(url) == url
