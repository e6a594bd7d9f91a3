package orrery.fswatch.domain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * What the watcher knows of a file without reading it: size, modification time (nanoseconds
 * since the epoch, as precise as the file system keeps it) and inode (0 where the platform has
 * none). Equal stats mean the content was not rewritten, so the hash can be skipped.
 */
public record FileStat(long size, long mtimeNanos, long inode) {

    /** The stat of a regular file, or null when there is none (gone, a directory, a link, unreadable). */
    public static FileStat read(Path file) {
        try {
            // One lstat; on Unix the file key carries the inode, so "unix:ino" (a second, map-building read) is not needed.
            return of(Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** From attributes a directory walk already has; the inode comes from {@code fileKey()} where it holds one. */
    public static FileStat of(BasicFileAttributes attributes) {
        if (!attributes.isRegularFile()) {
            return null;
        }
        return new FileStat(attributes.size(), nanos(attributes.lastModifiedTime()), inodeOf(attributes.fileKey()));
    }

    public Instant mtime() {
        return Instant.ofEpochSecond(Math.floorDiv(mtimeNanos, 1_000_000_000L), Math.floorMod(mtimeNanos, 1_000_000_000L));
    }

    private static long nanos(FileTime time) {
        Instant instant = time.toInstant();
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    // On Unix the JDK's file key prints as "(dev=...,ino=...)"; parsing it avoids a second stat per file in walks.
    private static long inodeOf(Object fileKey) {
        if (fileKey == null) {
            return 0;
        }
        String text = fileKey.toString();
        int at = text.indexOf("ino=");
        if (at < 0) {
            return 0;
        }
        int end = at + 4;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        try {
            return Long.parseLong(text.substring(at + 4, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
