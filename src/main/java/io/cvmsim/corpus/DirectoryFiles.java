package io.cvmsim.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A recording's files in a directory of the file system. */
public record DirectoryFiles(Path dir) implements RecordingReader.Files {

  @Override
  public byte[] read(String path) throws IOException {
    Path p = dir.resolve(path);
    return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
  }

  @Override
  public InputStream open(String path) throws IOException {
    Path p = dir.resolve(path);
    return Files.isRegularFile(p) ? Files.newInputStream(p) : null;
  }
}
