"""danvan — báo cáo kết quả công tác dân vận chính quyền từ sổ Excel."""

__version__ = "0.1.0"
