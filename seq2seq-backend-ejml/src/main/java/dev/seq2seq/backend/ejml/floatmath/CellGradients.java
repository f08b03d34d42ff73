package dev.seq2seq.backend.ejml.floatmath;

/**
 * The scalar loops of the recurrent cells' float32 gradients over columns {@code [j0, j1)} of one
 * batch row: {@link FloatMath}'s default implementation, and the columns after the last whole vector
 * in {@link VectorFloatMath}'s. Every value is one fixed sequence of multiplications, subtractions and
 * additions, evaluated left to right in both, so they give the same bits.
 */
final class CellGradients {
  private CellGradients() {}

  /** {@link FloatMath#lstmCellGradient} for row {@code b}, columns {@code [j0, j1)}. */
  static void lstm(float[] d, float[] s, float[] c, float[] dGates, float[] dCell, int h, int b, int j0, int j1) {
    int si = b * 5 * h;
    int dhRow = b * 2 * h;
    int gRow = b * 4 * h;
    int cRow = b * h;
    for (int j = j0; j < j1; j++) {
      float i = s[si + j];
      float f = s[si + h + j];
      float g = s[si + 2 * h + j];
      float o = s[si + 3 * h + j];
      float t = s[si + 4 * h + j];
      float dh = d[dhRow + j];
      float dc = d[dhRow + h + j] + dh * o * (1f - t * t);
      dGates[gRow + j] = dc * g * (i * (1f - i));
      dGates[gRow + h + j] = dc * c[cRow + j] * (f * (1f - f));
      dGates[gRow + 2 * h + j] = dc * i * (1f - g * g);
      dGates[gRow + 3 * h + j] = dh * t * (o * (1f - o));
      dCell[cRow + j] = dc * f;
    }
  }

  /** {@link FloatMath#gruCellGradient} for row {@code b}, columns {@code [j0, j1)}. */
  static void gru(float[] d, float[] s, float[] hs, float[] dgi, float[] dgh, float[] dh, int h, int b, int j0, int j1) {
    int si = b * 4 * h;
    int gRow = b * 3 * h;
    int hRow = b * h;
    for (int j = j0; j < j1; j++) {
      float r = s[si + j];
      float z = s[si + h + j];
      float n = s[si + 2 * h + j];
      float ghn = s[si + 3 * h + j];
      float g = d[hRow + j];
      float dn = g * (1f - z) * (1f - n * n);
      float dr = dn * ghn * (r * (1f - r));
      float dz = g * (hs[hRow + j] - n) * (z * (1f - z));
      dgi[gRow + j] = dr;
      dgi[gRow + h + j] = dz;
      dgi[gRow + 2 * h + j] = dn;
      dgh[gRow + j] = dr;
      dgh[gRow + h + j] = dz;
      dgh[gRow + 2 * h + j] = dn * r;
      dh[hRow + j] = g * z;
    }
  }
}
