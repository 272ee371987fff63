"""`mlebench keygen | bundle | verify` reach the bundles package and fail cleanly on bad input."""

import stat

from mlebench.cli import main


def test_keygen_and_bad_inputs(tmp_path, capsys):
    assert main(["keygen", "--out", str(tmp_path / "keys")]) == 0
    private = next(p for p in (tmp_path / "keys").iterdir() if not p.name.endswith(".pub.pem"))
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert main(["verify", str(tmp_path / "missing.tar.gz")]) == 2
    assert main(["bundle", str(tmp_path / "no-group"), "--key", str(private),
                 "--out", str(tmp_path / "b.tar.gz")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("error:") == 2
