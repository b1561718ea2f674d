"""The machine reference printed beside every benchmark's figures."""

from perf import machine


def test_the_reference_is_the_cpu_time_of_a_fixed_amount_of_work():
    assert 0 < machine.reference_ms(tries=1) < 60_000
    # The work is fixed: it always ends with the same answer.
    assert machine._work() == 997


def test_the_reference_line_names_its_figure_and_where_it_comes_from():
    line = machine.reference_line()
    assert line.startswith("Machine reference: the fixed Python work takes ")
    assert " ms of one core (perf/machine.py" in line
