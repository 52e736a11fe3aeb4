// SPDX-License-Identifier: GPL-2.0
/*
 * vi915_importer: a test-only in-kernel dma-buf importer for the revocation
 * matrix (tests/vi915_revoke.c). Never ship it.
 *
 * /sys/kernel/debug/vi915_importer:
 *   write "attach <fd>"  attach the dma-buf <fd> of the writing process to a
 *                        dummy device and map the attachment (one at a time);
 *   write "detach"       unmap and detach;
 *   read                 "pages <n>" then, per page of the mapped sg table,
 *                        "<pfn> <page refcount> <first 8 bytes, hex>".
 * The sg table's pages are read through the kernel's direct map, as a
 * device would DMA into them: if the exporter let them go, what is read here
 * belongs to someone else.
 */
#include <linux/debugfs.h>
#include <linux/device/faux.h>
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

static struct faux_device *imp_dev;
static struct dentry *imp_file;
static DEFINE_MUTEX(imp_lock);
static struct dma_buf *imp_buf;
static struct dma_buf_attachment *imp_attach;
static struct sg_table *imp_sgt;

static void imp_detach_locked(void)
{
	if (imp_sgt)
		dma_buf_unmap_attachment_unlocked(imp_attach, imp_sgt, DMA_BIDIRECTIONAL);
	if (imp_attach)
		dma_buf_detach(imp_buf, imp_attach);
	if (imp_buf)
		dma_buf_put(imp_buf);
	imp_sgt = NULL;
	imp_attach = NULL;
	imp_buf = NULL;
}

static int imp_attach_locked(int fd)
{
	struct dma_buf *buf;
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;

	if (imp_buf)
		return -EBUSY;
	buf = dma_buf_get(fd);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	attach = dma_buf_attach(buf, &imp_dev->dev);
	if (IS_ERR(attach)) {
		dma_buf_put(buf);
		return PTR_ERR(attach);
	}
	sgt = dma_buf_map_attachment_unlocked(attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt)) {
		dma_buf_detach(buf, attach);
		dma_buf_put(buf);
		return PTR_ERR(sgt);
	}
	imp_buf = buf;
	imp_attach = attach;
	imp_sgt = sgt;
	return 0;
}

static ssize_t imp_write(struct file *file, const char __user *ubuf, size_t len,
			 loff_t *ppos)
{
	char cmd[32];
	int fd, ret;

	if (len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = 0;
	mutex_lock(&imp_lock);
	if (sscanf(cmd, "attach %d", &fd) == 1) {
		ret = imp_attach_locked(fd);
	} else if (!strncmp(cmd, "detach", 6)) {
		imp_detach_locked();
		ret = 0;
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&imp_lock);
	return ret ? ret : len;
}

static int imp_show(struct seq_file *m, void *unused)
{
	struct sg_page_iter piter;
	unsigned int n = 0;

	mutex_lock(&imp_lock);
	if (imp_sgt) {
		for_each_sgtable_page(imp_sgt, &piter, 0)
			n++;
	}
	seq_printf(m, "pages %u\n", n);
	if (imp_sgt) {
		for_each_sgtable_page(imp_sgt, &piter, 0) {
			struct page *page = sg_page_iter_page(&piter);
			u64 first;

			memcpy_from_page((char *)&first, page, 0, sizeof(first));
			seq_printf(m, "%lu %d %016llx\n", page_to_pfn(page),
				   page_count(page), first);
		}
	}
	mutex_unlock(&imp_lock);
	return 0;
}

static int imp_open(struct inode *inode, struct file *file)
{
	return single_open(file, imp_show, NULL);
}

static const struct file_operations imp_fops = {
	.owner = THIS_MODULE,
	.open = imp_open,
	.read = seq_read,
	.write = imp_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int __init imp_init(void)
{
	int ret;

	imp_dev = faux_device_create("vi915_importer", NULL, NULL);
	if (!imp_dev)
		return -ENODEV;
	/* A device that can address all memory, without an IOMMU: DMA address = physical. */
	ret = dma_coerce_mask_and_coherent(&imp_dev->dev, DMA_BIT_MASK(64));
	if (ret) {
		faux_device_destroy(imp_dev);
		return ret;
	}
	imp_file = debugfs_create_file("vi915_importer", 0600, NULL, NULL, &imp_fops);
	return 0;
}

static void __exit imp_exit(void)
{
	debugfs_remove(imp_file);
	mutex_lock(&imp_lock);
	imp_detach_locked();
	mutex_unlock(&imp_lock);
	faux_device_destroy(imp_dev);
}

module_init(imp_init);
module_exit(imp_exit);
MODULE_IMPORT_NS("DMA_BUF");
MODULE_DESCRIPTION("vi915 test-only dma-buf importer (revocation matrix)");
MODULE_LICENSE("GPL");
