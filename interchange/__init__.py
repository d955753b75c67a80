"""Import and export of catalog files (目录文件的导入与导出): JSON and the platform's XLSX."""
