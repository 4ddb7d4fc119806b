"""core.geo: the one great-circle distance."""

import pytest

from thongsuot.core.geo import distance_km, distance_m


def test_a_degree_of_longitude_on_the_equator_and_a_short_city_distance():
    assert distance_km(0, 0, 0, 1) == pytest.approx(111.195, abs=0.001)
    assert distance_m(10.7725, 106.6980, 10.7725, 106.6980) == 0
    # two points in District 1, 0.0073° of latitude and 0.001° of longitude apart: about 820 m
    assert distance_m(10.7725, 106.6980, 10.7798, 106.6990) == pytest.approx(819, abs=5)
