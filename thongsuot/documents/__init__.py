"""Official documents (quản lý văn bản): incoming and outgoing documents under Nghị định 30/2020/NĐ-CP and,
for Party bodies, Hướng dẫn 36-HD/VPTW. See docs/documents.md."""

SYSTEM = "documents"
