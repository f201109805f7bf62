-- DropIndex
DROP INDEX "StoredObject_dataItemId_key";

-- CreateIndex
CREATE INDEX "StoredObject_dataItemId_idx" ON "StoredObject"("dataItemId");
