"""Writing outputs safely: never replace an existing file without ``force`` — not even one that
a concurrent run creates meanwhile (the final name is created exclusively) — never leave a
half-written or temporary file behind, and say every refusal of the operating system in
Vietnamese, naming the path and what to do (``os_error``, the one place that does so)."""

from __future__ import annotations

import contextlib
import errno
import gc
import io
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from danvan_cli.errors import DanvanError, OutputExistsError


def exists_error(path: Path, option: str | None = None) -> OutputExistsError:
    """The refusal to replace ``path``; ``option`` is the command-line option that names the
    output (``-o``, ``--annotate``), when the command has one."""
    other = f"chọn tên khác bằng {option}" if option else "chọn tên tệp khác"
    return OutputExistsError(
        f"Tệp «{path}» đã có. danvan không ghi đè (có thể bạn đã sửa tay tệp này); "
        f"thêm --force để ghi đè hoặc {other}."
    )


def ensure_writable(path: Path, force: bool, option: str | None = None) -> None:
    """Refuse early when ``path`` exists and ``force`` is off, or when it cannot be a file
    (a folder, a name the system refuses)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return  # a missing folder is created by write_atomic; a file in the way is told there
    except OSError as err:
        raise os_error(err, path) from None
    if path.is_dir():
        raise os_error(OSError(errno.EISDIR, os.strerror(errno.EISDIR)), path)
    if not force:
        raise exists_error(path, option)


def write_atomic(
    path: Path, produce: Callable[[Path], None], force: bool = False, option: str | None = None
) -> Path:
    """Let ``produce`` write a temporary file beside ``path``, then put it in place: without
    ``force`` the final name is created exclusively (a hard link, else an ``O_EXCL``
    placeholder), so that of two runs racing to one new name only one succeeds; with
    ``force`` it is replaced atomically.

    On any failure the temporary file is removed and ``path`` is left as it was.
    """
    ensure_writable(path, force, option)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise os_error(err, folder, folder=True) from None
    try:
        temp = _new_temp(folder, path)
    except OSError as err:
        raise os_error(err, path) from None
    try:
        produce(temp)
        if force:
            os.replace(temp, path)
        else:
            _create_exclusively(temp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(err, OSError):
            raise os_error(err, path, option=option) from None
        raise
    return path


def write_bytes_atomic(
    path: Path, data: bytes, force: bool = False, option: str | None = None
) -> Path:
    def produce(temp: Path) -> None:
        temp.write_bytes(data)

    return write_atomic(path, produce, force, option)


def write_workbook_atomic(
    path: Path, book: Any, force: bool = False, option: str | None = None
) -> Path:
    """Save an openpyxl workbook atomically. openpyxl saves through temporary files of its
    own and leaves its writers open when a write fails (a full disk); they would fail again
    when finalised at exit and print an ``Exception ignored … OSError`` trace. So the workbook
    is saved into memory first, a failure is told like any refusal of the system, and the
    failed writers are finalised at once, quietly."""
    ensure_writable(path, force, option)
    buffer = io.BytesIO()
    failure: Exception | None = None
    try:
        book.save(buffer)
    except Exception as err:  # OSError, or lxml's SerialisationError("IO_ENOSPC")
        failure = err
    if failure is not None:
        code = _failed_write(failure)
        if code is None:
            raise failure
        hook = sys.unraisablehook
        sys.unraisablehook = lambda unraisable: None
        try:
            del failure  # its frames hold the failed writers: finalise them now, quietly
            gc.collect()
        finally:
            sys.unraisablehook = hook
        raise os_error(OSError(code, os.strerror(code)), path) from None
    return write_bytes_atomic(path, buffer.getvalue(), force, option)


def _failed_write(err: Exception) -> int | None:
    """The errno of a failed write: an OSError's, or the one lxml names ("IO_EFBIG")."""
    if isinstance(err, OSError):
        return err.errno
    name = str(err)
    if type(err).__name__ == "SerialisationError" and name.startswith("IO_E"):
        code = getattr(errno, name[3:], None)
        return code if isinstance(code, int) else None
    return None


def _new_temp(folder: Path, path: Path) -> Path:
    """A new empty file beside ``path`` with the permissions an ordinary file gets."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temp = folder / f".{path.stem[:40]}.{secrets.token_hex(6)}.tmp"
        try:
            os.close(os.open(temp, flags, 0o666))
        except FileExistsError:
            continue
        return temp


def _create_exclusively(temp: Path, path: Path) -> None:
    """Give the finished ``temp`` the name ``path``, failing with FileExistsError when that name
    exists — whoever created it and whenever."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except (OSError, NotImplementedError):
        # No hard links here (FAT/exFAT drives, some network shares): claim the name with an
        # exclusive empty file, then replace that file of ours in one step.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        try:
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise
    else:
        with contextlib.suppress(OSError):
            os.unlink(temp)


# --- OS refusals in Vietnamese ---------------------------------------------------------------

_NO_SPACE = (
    "ổ đĩa đã đầy",
    "giải phóng chỗ trống trên ổ đĩa hoặc ghi sang ổ đĩa khác rồi chạy lại",
)
_NO_RIGHT = (
    "không có quyền ghi vào đây",
    "chọn thư mục khác (ví dụ trong Documents) hoặc nhờ người quản trị máy cấp quyền ghi",
)
_EXPLAINED: dict[int, tuple[str, str]] = {
    errno.ENOSPC: _NO_SPACE,
    errno.EFBIG: ("tệp lớn quá mức ổ đĩa này cho phép", "ghi sang ổ đĩa khác rồi chạy lại"),
    errno.EACCES: _NO_RIGHT,
    errno.EPERM: _NO_RIGHT,
    errno.EROFS: ("ổ đĩa chỉ cho đọc", "chọn thư mục trên ổ đĩa khác rồi chạy lại"),
    errno.ENAMETOOLONG: (
        "tên tệp hoặc đường dẫn quá dài",
        "chọn tên ngắn hơn hoặc thư mục gần gốc ổ đĩa hơn rồi chạy lại",
    ),
    errno.ENOENT: ("không tìm thấy thư mục chứa tệp", "kiểm tra lại đường dẫn rồi chạy lại"),
    errno.ENOTDIR: (
        "một phần của đường dẫn là tệp, không phải thư mục",
        "kiểm tra lại đường dẫn rồi chạy lại",
    ),
    errno.EISDIR: ("đây là một thư mục", "ghi cả tên tệp sau tên thư mục rồi chạy lại"),
    errno.EINVAL: (
        "tên tệp có ký tự không được phép",
        'bỏ các ký tự \\ / : * ? " < > | khỏi tên tệp rồi chạy lại',
    ),
    errno.EIO: (
        "ổ đĩa báo lỗi đọc/ghi",
        "kiểm tra ổ đĩa (USB còn cắm không?) hoặc ghi sang ổ đĩa khác rồi chạy lại",
    ),
}
if hasattr(errno, "EDQUOT"):  # not on every platform
    _EXPLAINED[errno.EDQUOT] = ("đã hết dung lượng được cấp trên ổ đĩa", _NO_SPACE[1])
_WINDOWS_LOCKED = (32, 33)
"""ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: another program holds the file open."""
_WINDOWS_DENIED = 5
"""ERROR_ACCESS_DENIED: also what replacing a file that Word or Excel holds open gives."""


def os_error(
    err: OSError, path: Path, *, folder: bool = False, option: str | None = None
) -> DanvanError:
    """The Vietnamese message for the operating system refusing to write ``path`` (a folder
    when ``folder``): what happened, naming the path, and what to do."""
    code = err.errno
    winerror = getattr(err, "winerror", None)
    if isinstance(err, FileExistsError) and not folder:
        return exists_error(path, option)
    if code == errno.EEXIST and folder:
        return DanvanError(
            f"Không tạo được thư mục «{path}»: đã có một tệp mang tên này. "
            "Chọn thư mục khác, hoặc đổi tên tệp đó rồi chạy lại."
        )
    if winerror in _WINDOWS_LOCKED or (
        winerror == _WINDOWS_DENIED and not folder and _is_file(path)
    ):
        return DanvanError(
            f"Tệp «{path}» đang mở trong Word/Excel (hoặc một chương trình khác); "
            "đóng tệp rồi chạy lại."
        )
    what = f"Không tạo được thư mục «{path}»" if folder else f"Không ghi được tệp «{path}»"
    explained = _EXPLAINED.get(code) if code is not None else None
    if explained is None:
        detail = err.strerror or type(err).__name__
        return DanvanError(
            f"{what}: hệ điều hành từ chối ({detail}). Kiểm tra ổ đĩa, quyền ghi và đường dẫn "
            "rồi chạy lại."
        )
    reason, advice = explained
    return DanvanError(f"{what}: {reason}. Hãy {advice}.")


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False
