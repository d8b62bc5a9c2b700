from conftest import SAMPLE_SLUG


def test_sample_builds_every_channel(sample_build):
    assert (sample_build / "web" / SAMPLE_SLUG / "index.html").is_file()
    assert (sample_build / "print" / f"{SAMPLE_SLUG}.pdf").is_file()
    assert (sample_build / "email" / f"{SAMPLE_SLUG}.txt").is_file()
