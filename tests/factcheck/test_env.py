"""Configuration from the environment fails loudly, naming the variable."""

from __future__ import annotations

import ipaddress

import pytest
from django.core.exceptions import ImproperlyConfigured

from factcheck.env import env_bool, env_float, env_int, env_list, env_networks, env_str

NAME = "FACTCHECK_TEST_VARIABLE"


@pytest.fixture
def setenv(monkeypatch: pytest.MonkeyPatch):
    def set_value(value: str) -> None:
        monkeypatch.setenv(NAME, value)

    monkeypatch.delenv(NAME, raising=False)
    return set_value


@pytest.mark.parametrize("raw", ["1", "true", "YES", " on "])
def test_env_bool_reads_true_words(setenv, raw):
    setenv(raw)
    assert env_bool(NAME, False) is True


@pytest.mark.parametrize("raw", ["0", "False", "no", "OFF"])
def test_env_bool_reads_false_words(setenv, raw):
    setenv(raw)
    assert env_bool(NAME, True) is False


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_falls_back_to_the_default_when_unset_or_empty(setenv, default):
    assert env_bool(NAME, default) is default
    setenv("  ")
    assert env_bool(NAME, default) is default


@pytest.mark.parametrize("raw", ["ture", "2", "enabled", "y"])
def test_env_bool_refuses_anything_else_naming_the_variable(setenv, raw):
    setenv(raw)
    with pytest.raises(ImproperlyConfigured, match=f"{NAME} must be one of .*{raw!r}"):
        env_bool(NAME, False)


def test_env_int_reads_whole_numbers_and_defaults_when_empty(setenv):
    assert env_int(NAME, 7) == 7
    setenv(" 42 ")
    assert env_int(NAME, 7, minimum=0, maximum=100) == 42
    setenv("")
    assert env_int(NAME, 7) == 7


@pytest.mark.parametrize("raw", ["4.5", "ten", "1e3"])
def test_env_int_refuses_what_is_not_a_whole_number(setenv, raw):
    setenv(raw)
    with pytest.raises(ImproperlyConfigured, match=f"{NAME} must be a whole number"):
        env_int(NAME, 1)


def test_env_int_refuses_values_outside_its_bounds(setenv):
    setenv("-1")
    with pytest.raises(ImproperlyConfigured, match=f"{NAME} must be at least 0; got -1"):
        env_int(NAME, 1, minimum=0)
    setenv("24")
    with pytest.raises(ImproperlyConfigured, match=f"{NAME} must be at most 23; got 24"):
        env_int(NAME, 1, minimum=0, maximum=23)


def test_env_float_reads_numbers_within_range(setenv):
    assert env_float(NAME, 0.6, minimum=0.0, maximum=1.0) == 0.6
    setenv("0.25")
    assert env_float(NAME, 0.6, minimum=0.0, maximum=1.0) == 0.25


@pytest.mark.parametrize("raw", ["1.5", "-0.1", "nan", "inf"])
def test_env_float_refuses_numbers_out_of_range(setenv, raw):
    setenv(raw)
    with pytest.raises(ImproperlyConfigured, match=f"{NAME} must lie between 0.0 and 1.0"):
        env_float(NAME, 0.6, minimum=0.0, maximum=1.0)


def test_env_float_refuses_what_is_not_a_number(setenv):
    setenv("high")
    with pytest.raises(ImproperlyConfigured, match=f"{NAME} must be a number; got 'high'"):
        env_float(NAME, 0.6, minimum=0.0, maximum=1.0)


def test_env_list_and_str_trim_their_values(setenv):
    assert env_list(NAME, ["a"]) == ["a"]
    assert env_str(NAME, "fallback") == "fallback"
    setenv(" example.org , ,www.example.org ")
    assert env_list(NAME, []) == ["example.org", "www.example.org"]
    assert env_str(NAME) == "example.org , ,www.example.org"


def test_env_networks_reads_cidr_blocks(setenv):
    assert env_networks(NAME) == []
    setenv("10.0.0.0/8, 192.168.1.7/24, ::1/128")
    assert env_networks(NAME) == [
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("192.168.1.0/24"),
        ipaddress.ip_network("::1/128"),
    ]


@pytest.mark.parametrize("raw", ["10.0.0.0/33", "intranet", "10.0.0.0/8,300.1.1.1/32"])
def test_env_networks_refuses_what_is_not_a_network(setenv, raw):
    setenv(raw)
    with pytest.raises(ImproperlyConfigured, match=f"{NAME}: .* is not a network in CIDR form"):
        env_networks(NAME)
