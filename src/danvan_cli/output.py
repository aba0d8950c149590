"""Writing outputs safely: never replace an existing file without ``force``, never leave a
half-written file behind (temporary file in the same folder, then an atomic rename)."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from danvan_cli.errors import DanvanError, OutputExistsError


def ensure_writable(path: Path, force: bool) -> None:
    """Refuse early when ``path`` exists and ``force`` is off."""
    if path.exists() and not force:
        raise OutputExistsError(
            f"Tệp «{path}» đã có. danvan không ghi đè (có thể bạn đã sửa tay báo cáo này); "
            "thêm --force để ghi đè hoặc chọn tên khác bằng -o."
        )


def write_atomic(path: Path, produce: Callable[[Path], None], force: bool = False) -> Path:
    """Let ``produce`` write a temporary file beside ``path``, then rename it into place.

    On any failure the temporary file is removed and ``path`` is left as it was; a failure of
    the file system (disk full, no permission, name too long…) is told in Vietnamese.
    """
    ensure_writable(path, force)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DanvanError(f"Không tạo được thư mục «{folder}»: {_why(err)}.") from None
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{path.stem[:40]}.", suffix=".tmp", dir=folder
        )
    except OSError as err:
        raise DanvanError(f"Không ghi được tệp «{path}»: {_why(err)}.") from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        produce(temp)
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        if path.exists() and not force:  # appeared while we were writing
            ensure_writable(path, force)
        os.replace(temp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(err, OSError):
            raise DanvanError(f"Không ghi được tệp «{path}»: {_why(err)}.") from None
        raise
    return path


_REASONS = {
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EACCES: "không có quyền ghi vào đây",
    errno.EPERM: "không có quyền ghi vào đây",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENAMETOOLONG: "tên tệp quá dài",
    errno.ENOENT: "không tìm thấy thư mục",
}


def _why(err: OSError) -> str:
    """The reason of a file-system failure, in Vietnamese when it is a common one."""
    reason = _REASONS.get(err.errno) if err.errno is not None else None
    return reason or err.strerror or type(err).__name__


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: Path, data: bytes, force: bool = False) -> Path:
    def produce(temp: Path) -> None:
        temp.write_bytes(data)

    return write_atomic(path, produce, force)
